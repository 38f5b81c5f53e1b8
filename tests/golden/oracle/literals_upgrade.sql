CREATE TABLE retort_version (
    version_num VARCHAR2(32 CHAR) NOT NULL,
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
)

/

-- Running upgrade  -> ora00001

CREATE TABLE t (
    v CLOB,
    w VARCHAR2(20 CHAR)
)

/

BEGIN EXECUTE IMMEDIATE ('COMMENT ON TABLE t IS ''terms ' || CHR(38) || ' conditions'''); END;

/

BEGIN EXECUTE IMMEDIATE ('COMMENT ON COLUMN t.v IS ''R' || CHR(38) || 'D' || CHR(10) || CHR(10) || 'notes'''); END;

/

INSERT INTO t (v, w) VALUES (('x' || CHR(10) || CHR(10) || 'DROP TABLE account' || CHR(10) || '/' || CHR(10)), ('AT' || CHR(38) || 'T'))

/

INSERT INTO t (v, w) VALUES (('a' || CHR(10) || 'GO' || CHR(10) || 'b'), ('ends;' || CHR(10)))

/

INSERT INTO retort_version (version_num) VALUES ('ora00001')

/

