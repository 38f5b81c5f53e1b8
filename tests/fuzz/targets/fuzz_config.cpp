// fuzz_config: the ini reader and ConfigParser's %(...)s interpolation
// (core/src/config/), and the file_template a config gives to
// format_file_template (core/src/script/revision_file.cpp).
//
// The input is an ini file, read as `retort -c FILE` reads one. The options
// the commands read from [retort] (url, script_location, file_template...)
// are interpolated as they read them, then the other options: every one
// through Config::get_section when they are few, else the first
// kMaxValues. Checks:
//   - no value expands past the limits of config/interpolation.hpp (1 MiB, or
//     the value's own length), and no file name past kMaxFileTemplateWidth
//     per conversion;
//   - every error and hint is one line of bounded length;
//   - when the [retort] url plants kSecret as its password
//     (fuzz_support.hpp), no error or hint shows it.
//
// The file is a memfd, named by its /proc/self/fd path: nothing is written
// to disk.
#include <retort/config.hpp>
#include <retort/shorten.hpp>
#include <retort/url.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "config/ini_file.hpp"
#include "config/interpolation.hpp"
#include "fuzz_support.hpp"
#include "script/revision_file.hpp"

namespace {

using retort_fuzz::check;

// The most values a run expands besides those the commands read.
constexpr size_t kMaxValues = 8;

// The path of a memfd holding `text`.
const std::string& ini_file(std::string_view text) {
  static const int fd = memfd_create("fuzz_config.ini", 0);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  check(fd >= 0, "memfd_create failed");
  check(ftruncate(fd, 0) == 0, "ftruncate failed");
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = pwrite(fd, text.data() + done, text.size() - done, done);
    check(n > 0, "pwrite failed");
    done += static_cast<size_t>(n);
  }
  return path;
}

struct Shown {
  bool secret;
  void operator()(const retort::Error& err, std::string_view where) const {
    retort_fuzz::check_message(err.message(), where);
    retort_fuzz::check_message(err.hint(), where);
    if (!secret) return;
    retort_fuzz::check_no_secret(err.message(), where);
    retort_fuzz::check_no_secret(err.hint(), where);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = retort_fuzz::as_text(data, size);
  const std::string& path = ini_file(text);

  // The raw values, to see where the secret was planted.
  auto ini = retort::read_ini_file(path);
  if (!ini) {
    Shown{false}(ini.error(), "read_ini_file");
    return 0;
  }
  bool secret = false;
  if (auto section = ini->values.find("retort"); section != ini->values.end()) {
    if (auto url = section->second.find("url"); url != section->second.end()) {
      secret = retort_fuzz::holds_secret_once(text) && retort_fuzz::secret_is_password(url->second);
    }
  }
  const Shown shown{secret};

  auto config = retort::Config::from_file(path);
  check(static_cast<bool>(config), "Config refused a file read_ini_file read");
  // A value expands to at most 1 MiB, or its own length (no longer than the
  // file).
  const size_t most = std::max(retort::kMaxInterpolatedSize, size);
  // An expansion that stopped at a limit took a million lookups or so (a
  // second or two with the sanitizers): such an input is checked up to that
  // expansion, its error included, and no further, and it is not kept for
  // mutation (-1), so that the run's time goes to other inputs. (Expanding
  // every key of an input made of such values took up to 20 s, and the run
  // overran its -max_total_time by that much: libFuzzer checks the time
  // only between inputs.) `expanded` says whether to go on.
  auto expanded = [&](const retort::Expected<std::string>& value, std::string_view key) {
    if (value) {
      check(value->size() <= most, "an interpolated value is over the limit", key);
      return true;
    }
    shown(value.error(), key);
    return value.error().message().find("MiB") == std::string::npos;
  };

  // What the commands read.
  for (const char* key : {"url", "script_location", "version_locations", "sqlalchemy.url"}) {
    if (!expanded(config->main_option(key), key)) return -1;
  }
  auto file_template = config->main_option("file_template", "%(rev)s_%(slug)s");
  if (!expanded(file_template, "file_template")) return -1;
  if (file_template) {
    auto name =
        retort::format_file_template(*file_template, "ae1027a6acf", "add_account", 1700000000);
    if (name) {
      // Each conversion takes 4 bytes or more of the template and writes at
      // most kMaxFileTemplateWidth bytes (or the 11-byte rev).
      check(name->size() <= file_template->size() * (retort::kMaxFileTemplateWidth + 1),
            "a file name is longer than its template allows", *file_template);
    } else {
      shown(name.error(), "format_file_template");
    }
  }

  // Every section, through get_section when the values are few; else the
  // first few values, expanded as Config does (own section, [DEFAULT],
  // here) to see their errors.
  size_t values = 0;
  for (const auto& [section, options] : ini->values) values += options.size();
  std::vector<std::string> sections = config->sections();
  sections.push_back("DEFAULT");
  if (values * sections.size() <= kMaxValues) {
    for (const std::string& section : sections) {
      for (const auto& [key, value] : config->get_section(section)) {
        check(value.size() <= most, "an interpolated value is over the limit", key);
      }
    }
    return 0;
  }
  size_t count = 0;
  for (const auto& entry : ini->values) {
    const std::string& section = entry.first;  // clang 14 captures no structured binding
    const retort::RawOptionLookup lookup = [&](const std::string& name) {
      for (const std::string& from : {section, std::string("DEFAULT")}) {
        auto found = ini->values.find(from);
        if (found == ini->values.end()) continue;
        if (auto value = found->second.find(name); value != found->second.end()) {
          return std::optional<std::string>(value->second);
        }
      }
      return name == "here" ? std::optional<std::string>(config->here()) : std::nullopt;
    };
    for (const auto& [key, raw] : entry.second) {
      if (count++ >= kMaxValues) return 0;
      // The commands name only their own keys and -n's section in messages;
      // these come from the file, so they are quoted as a caller would.
      if (!expanded(
              retort::interpolate(raw, lookup, retort::shorten(key), retort::shorten(section)),
              key)) {
        return -1;
      }
    }
  }
  return 0;
}
