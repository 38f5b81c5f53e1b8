// Configuration: the [retort] section of retort.ini (or another, with -n),
// read with ConfigParser's rules: %(here)s and other %(key)s references are
// interpolated, %% is a literal %, keys are case-insensitive, # and ; start
// comments. An application may also build a Config in code.
#ifndef RETORT_CONFIG_HPP
#define RETORT_CONFIG_HPP

#include <retort/attributes.hpp>
#include <retort/error.hpp>
#include <retort/log.hpp>

#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace retort {

class Config {
 public:
  // Substitution values beside %(here)s, as Alembic's config_args: read as
  // ConfigParser's defaults, so every section sees them, a key of the file
  // (its section's or [DEFAULT]'s) wins over them, and they are interpolated
  // (a literal % is written %%). `here` is always the file's directory.
  using ConfigArgs = std::map<std::string, std::string>;

  // An empty configuration: no file, main section "retort", output to stdout.
  Config();
  explicit Config(ConfigArgs config_args);
  // Reads `file`. A missing or unreadable file is reported by load_error().
  explicit Config(std::string file, std::string ini_section = "retort",
                  ConfigArgs config_args = {});

  // Reads an ini file; the main section is `ini_section`.
  static Expected<Config> from_file(const std::string& file, std::string ini_section = "retort",
                                    ConfigArgs config_args = {});

  const ConfigArgs& config_args() const { return config_args_; }

  // The error met reading the file given to the constructor, if any.
  const Error& load_error() const { return load_error_; }

  const std::string& config_file_name() const { return file_; }  // "" if none
  const std::string& config_ini_section() const { return section_; }
  // Directory of the ini file (or the current directory): the %(here)s value.
  const std::string& here() const { return here_; }

  // Values are interpolated on read; set values follow the same rules, so a
  // literal % is written %%.
  void set_main_option(const std::string& key, const std::string& value);
  void set_section_option(const std::string& section, const std::string& key,
                          const std::string& value);
  std::optional<std::string> get_main_option(const std::string& key) const;
  std::string get_main_option(const std::string& key, const std::string& fallback) const;
  std::optional<std::string> get_section_option(const std::string& section,
                                                const std::string& key) const;
  // Every key of a section, interpolated, with [DEFAULT]'s keys and `here`
  // as ConfigParser's items() has them; a key whose %(...)s reference is bad
  // is left out. Empty if the section is absent.
  std::map<std::string, std::string> get_section(const std::string& section) const;
  std::vector<std::string> sections() const;
  // Like get_main_option, but says why there is no value: the error met
  // reading the file, a missing section or key, or a bad %(...)s reference.
  Expected<std::string> main_option(const std::string& key) const;
  // An optional key: `fallback` when absent, an error only when the file
  // could not be read or a %(...)s reference is bad.
  Expected<std::string> main_option(const std::string& key, const std::string& fallback) const;

  // -x key=value arguments, for the environment to read. Built in: `url`
  // replaces the url option (README). The CLI warns, after a command that
  // succeeded, of the keys nobody read through get_x_argument.
  void set_x_argument(const std::string& key, const std::string& value);
  // The value of -x `key`, marking it read; nullopt when not given.
  std::optional<std::string> get_x_argument(const std::string& key) const;
  // Every -x argument, as given; reading them here marks none read.
  const std::map<std::string, std::string>& x_arguments() const { return x_args_; }
  // The keys given and never read through get_x_argument, sorted.
  std::vector<std::string> unread_x_arguments() const;

  // Where commands write what they print (default: std::cout).
  void set_output(std::ostream& out) { out_ = &out; }
  std::ostream& output() const { return *out_; }
  // Where offline SQL goes (--sql scripts), as Alembic's output_buffer
  // (default: output(), itself std::cout unless set).
  void set_output_buffer(std::ostream& out) { out_buffer_ = &out; }
  std::ostream& output_buffer() const { return out_buffer_ != nullptr ? *out_buffer_ : *out_; }

  // Values that are not strings, for the commands and the environment; the
  // application's ODBC connection above all (retort/attributes.hpp).
  Attributes& attributes() { return attributes_; }
  const Attributes& attributes() const { return attributes_; }

  // Where the log goes while a command of this Config runs, on whichever
  // thread (retort/log.hpp); unset, stderr.
  void set_log_sink(LogSink sink) { log_sink_ = std::move(sink); }
  const LogSink& log_sink() const { return log_sink_; }

  // Commands print only their answer: upgrade, downgrade and stamp leave out
  // their "Running ..." lines (the CLI's -q). The log level does not hide
  // them: they are output, not log.
  void set_quiet(bool quiet) { quiet_ = quiet; }
  bool quiet() const { return quiet_; }

 private:
  // The raw value `key` (lower case) has when read from `section`: the
  // section's own, else [DEFAULT]'s, else the built-in `here`.
  std::optional<std::string> raw_option(const std::string& section, const std::string& key) const;
  // `raw`, the value of `key` (lower case) in `section`, interpolated.
  Expected<std::string> interpolate(const std::string& section, const std::string& key,
                                    const std::string& raw) const;
  std::string& raw_slot(const std::string& section, const std::string& key);

  std::string file_;
  std::string section_ = "retort";
  std::string here_;
  // section -> key (lower case) -> raw value
  std::map<std::string, std::map<std::string, std::string>> raw_;
  std::vector<std::string> section_order_;  // as in the file, then as added; no [DEFAULT]
  std::map<std::string, std::string> x_args_;
  // Keys read through get_x_argument. Not synchronised: one Config's
  // commands do not run on two threads at once.
  mutable std::set<std::string> x_read_;
  ConfigArgs config_args_;
  std::ostream* out_;
  std::ostream* out_buffer_ = nullptr;
  Attributes attributes_;
  LogSink log_sink_;
  bool quiet_ = false;
  Error load_error_;
};

// The ini file used when none is named: $RETORT_CONFIG, else "retort.ini".
std::string default_config_file();

}  // namespace retort

#endif  // RETORT_CONFIG_HPP
