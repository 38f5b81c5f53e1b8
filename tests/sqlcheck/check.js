#!/usr/bin/env node
// Offline syntax check of SQL Server (T-SQL) and Oracle scripts with the ANTLR grammars of antlr4ts-sql,
// independent of retort's own code.
//   node check.js --dialect mssql|oracle FILE...
// mssql:  batches are separated by lines holding only GO; each batch is parsed whole and must be one
//         batch to the grammar too (see parse()).
// oracle: statements are separated by lines holding only /, as SQL*Plus runs them. A plain SQL
//         statement has no ';' of its own (the grammar's ';' is added here); a PL/SQL block
//         (BEGIN/DECLARE/CREATE PROCEDURE...) ends with 'END;'. A SQL statement that does end with ';'
//         before its '/' is an error: SQL*Plus would run it twice. So is a statement after the last '/':
//         SQL*Plus would never run it.
// Prints `FILE:LINE: DIALECT syntax error: MESSAGE in: STATEMENT` for each bad batch/statement and exits 1,
// else `ok: N statements` (N counts the statements the grammar found) and exits 0. Exit 2: bad usage.
// With several files, each good one also gets a line `FILE: ok: N statements`.
'use strict';
const fs = require('fs');
const antlr = require('antlr4ts');
const { PredictionMode } = require('antlr4ts/atn/PredictionMode');
const { ParseCancellationException } = require('antlr4ts/misc/ParseCancellationException');
const { CaseChangingStream } = require('antlr4ts-sql/dist/src/models/CaseChangingStream');

// antlr4ts-sql 1.1.0's CaseChangingStream.getText passes (a, b) where antlr4ts wants an Interval, so
// every token's text comes out empty (and so do the error messages' quotes). Pass the Interval on.
CaseChangingStream.prototype.getText = function getText(interval) {
  return this._stream.getText(interval);
};

// Only the dialect's own grammar is loaded (each is megabytes of generated code).
const grammars = 'antlr4ts-sql/dist/src/grammar-output';
const dialects = {
  mssql: {
    separator: /^\s*GO(\s+\d+)?\s*$/i,
    load: () => ({
      Lexer: require(`${grammars}/tsql/TSqlLexer`).TSqlLexer,
      Parser: require(`${grammars}/tsql/TSqlParser`).TSqlParser,
      start: (parser) => parser.tsql_file(),
      semi: 'SEMI',
    }),
  },
  oracle: {
    separator: /^\s*\/\s*$/,
    load: () => ({
      Lexer: require(`${grammars}/plsql/PlSqlLexer`).PlSqlLexer,
      Parser: require(`${grammars}/plsql/PlSqlParser`).PlSqlParser,
      start: (parser) => parser.sql_script(),
      semi: 'SEMICOLON',
    }),
  },
};

function usage(msg) {
  process.stderr.write(`check.js: ${msg}\nusage: node check.js --dialect mssql|oracle FILE...\n`);
  process.exit(2);
}

// Splits a script into chunks (batches or statements) at separator lines. Each chunk keeps the line
// number of its first line; `terminated` tells whether a separator line followed it.
function split(text, separator) {
  const chunks = [];
  let lines = [];
  let start = 1;
  text.split('\n').forEach((line, i) => {
    if (separator.test(line)) {
      chunks.push({ text: lines.join('\n'), line: start, terminated: true });
      lines = [];
      start = i + 2;
    } else {
      lines.push(line);
    }
  });
  chunks.push({ text: lines.join('\n'), line: start, terminated: false });
  return chunks;
}

// A lexer over TEXT; the grammars want upper-case input, which the case-changing stream gives them.
function lexer(g, text, listener) {
  const lex = new g.Lexer(new CaseChangingStream(antlr.CharStreams.fromString(text), true));
  lex.removeErrorListeners();
  lex.addErrorListener(listener);
  return lex;
}

// The tokens the parser sees (comments and whitespace are on hidden channels).
function tokensOf(g, text) {
  return lexer(g, text, { syntaxError() {} })
    .getAllTokens()
    .filter((t) => t.channel === antlr.Token.DEFAULT_CHANNEL);
}

// Oracle: what to parse for one '/'-separated chunk, or a message why SQL*Plus would not run it right.
function oracleText(g, chunk, tokens) {
  // PL/SQL: BEGIN, DECLARE, <<label>>, or CREATE [OR REPLACE] [[NON]EDITIONABLE] PROCEDURE|FUNCTION|PACKAGE|TRIGGER|TYPE.
  const words = tokens.slice(0, 5).map((t) => t.text.toUpperCase());
  let i = words[0] === 'CREATE' ? 1 : 0;
  if (i && words[i] === 'OR' && words[i + 1] === 'REPLACE') i += 2;
  if (i && ['EDITIONABLE', 'NONEDITIONABLE'].includes(words[i])) i++;
  const plsql =
    ['BEGIN', 'DECLARE'].includes(words[0]) || words[0] + words[1] === '<<' ||
    (i > 0 && ['PROCEDURE', 'FUNCTION', 'PACKAGE', 'TRIGGER', 'TYPE'].includes(words[i]));
  const endsWithSemi = tokens[tokens.length - 1].type === g.Lexer[g.semi];
  if (!chunk.terminated) return { error: "not followed by a line holding only '/': SQL*Plus would not run it" };
  if (plsql) return { text: chunk.text };
  if (endsWithSemi) return { error: "ends with ';' and then '/': SQL*Plus would run it twice" };
  return { text: chunk.text + '\n;' };
}

// Long "expecting {...}" lists say little: keep their first few entries.
function shorten(message) {
  return message.replace(/expecting \{([^}]*)\}/, (all, list) => {
    const items = list.split(', ');
    return items.length <= 6 ? all : `expecting {${items.slice(0, 6).join(', ')}, ...}`;
  });
}

// Parses one chunk; returns { statements } or { line, column, message } (line within the chunk, 1-based).
function parse(g, text, dialect) {
  let error = null;
  const listener = {
    syntaxError(recognizer, offending, line, column, msg) {
      if (!error) error = { line, column, message: shorten(msg) };
    },
  };
  const parser = (listeners) => {
    const p = new g.Parser(new antlr.CommonTokenStream(lexer(g, text, listener)));
    p.removeErrorListeners();
    listeners.forEach((l) => p.addErrorListener(l));
    return p;
  };
  // Fast pass: SLL prediction, stop at the first error. Only if that fails, the full LL parse, whose
  // answer is the exact one (SLL can fail on valid input, never accept invalid input).
  let tree;
  try {
    const fast = parser([]);
    fast.interpreter.setPredictionMode(PredictionMode.SLL);
    fast.errorHandler = new antlr.BailErrorStrategy();
    tree = g.start(fast);
  } catch (e) {
    if (!(e instanceof ParseCancellationException)) throw e;
    error = null;
    tree = g.start(parser([listener]));
  }
  if (error) return error;
  const top = tree.children.filter((c) => c instanceof antlr.ParserRuleContext); // less <EOF> and ';'
  // A GO-separated chunk must be one batch. The grammar starts a new batch, without GO, at a bare name
  // (a procedure call without EXEC, which T-SQL allows only first in a batch: "CREATE TABLE t (a INT) x;")
  // and at CREATE VIEW/PROCEDURE/FUNCTION/TRIGGER, which must also come first in a batch.
  // A '/'-separated Oracle chunk must be one statement: SQL*Plus sends it as one.
  if (top.length > 1) {
    const at = top[1].start;
    const message =
      dialect === 'mssql'
        ? `a second batch starts at '${at.text}' without GO (a bare name is a procedure call only first in a batch)`
        : `a second statement starts at '${at.text}' without a '/' line before it`;
    return { line: at.line, column: at.charPositionInLine, message };
  }
  // Statements: T-SQL batch -> sql_clauses / batch_level_statement / execute_body_batch; PL/SQL -> unit_statement.
  let statements = 0;
  const count = (node) => {
    for (const child of node.children || []) {
      const name = child.constructor.name;
      if (/^(Sql_clauses|Batch_level_statement|Execute_body_batch|Unit_statement|Sql_plus_command)Context$/.test(name)) {
        statements++;
      } else if (/^(Batch|Go_batch_statement)Context$/.test(name)) {
        count(child);
      }
    }
  };
  count(tree);
  return { statements };
}

// The statement around an error, as written: from after the last ';' before the error to the next ';'.
function statementAt(text, tokens, semi, line, column) {
  const before = (t) => t.line < line || (t.line === line && t.charPositionInLine < column);
  let from = 0;
  tokens.forEach((t, i) => {
    if (t.type === semi && before(t) && i + 1 < tokens.length) from = i + 1;
  });
  let to = from;
  while (to + 1 < tokens.length && tokens[to].type !== semi) to++;
  return text.slice(tokens[from].startIndex, tokens[to].stopIndex + 1).replace(/\s+/g, ' ').slice(0, 80);
}

function checkFile(g, file, dialect) {
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
  let statements = 0;
  const errors = [];
  for (const chunk of split(text, dialects[dialect].separator)) {
    const tokens = tokensOf(g, chunk.text);
    if (tokens.length === 0) continue; // blank or comments only
    const lastLine = chunk.line + tokens[tokens.length - 1].line - 1; // errors at the added ';' go here
    const report = (line, column, message) => {
      const where = Math.min(chunk.line + line - 1, lastLine);
      const statement = statementAt(chunk.text, tokens, g.Lexer[g.semi], line, column);
      errors.push(`${file}:${where}: ${dialect} syntax error: ${message} in: ${statement}`);
    };
    let input = chunk.text;
    if (dialect === 'oracle') {
      const o = oracleText(g, chunk, tokens);
      if (o.error) {
        report(tokens[0].line, tokens[0].charPositionInLine, o.error);
        continue;
      }
      input = o.text;
    }
    const r = parse(g, input, dialect);
    if (r.message) report(r.line, r.column, r.message);
    else statements += r.statements;
  }
  return { statements, errors };
}

const args = process.argv.slice(2);
let dialect = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--dialect') dialect = args[++i];
  else if (args[i].startsWith('--dialect=')) dialect = args[i].slice('--dialect='.length);
  else if (args[i].startsWith('-')) usage(`unknown option ${args[i]}`);
  else files.push(args[i]);
}
if (!Object.hasOwn(dialects, dialect || '')) usage('--dialect must be mssql or oracle');
if (files.length === 0) usage('no file given');
for (const file of files) {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) usage(`cannot read ${file}`);
}

const g = dialects[dialect].load();
let total = 0;
let failed = false;
for (const file of files) {
  const result = checkFile(g, file, dialect);
  for (const e of result.errors) console.log(e);
  if (files.length > 1 && result.errors.length === 0) console.log(`${file}: ok: ${result.statements} statements`);
  failed = failed || result.errors.length > 0;
  total += result.statements;
}
if (failed) process.exit(1);
console.log(`ok: ${total} statements`);
