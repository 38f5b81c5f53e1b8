// The model module: model.cpp in script_location (or the file the config's
// `model` key names: a source, or a module CMake built), compiled like the
// revisions when its module is missing or older, loaded, and read into a
// Schema through its declare function.
#ifndef RETORT_MODEL_MODULE_HPP
#define RETORT_MODEL_MODULE_HPP

#include <retort/autogenerate.hpp>
#include <retort/config.hpp>
#include <retort/error.hpp>

#include <iosfwd>
#include <optional>
#include <string>

namespace retort::autogenerate {

// The model's file: in a prebuilt deploy, the deploy's model.so (its sha256
// checked) when it has one; else the `model` key (relative to the ini
// file's directory), else <script_location>/model.cpp when it exists;
// nullopt when there is none. A `model` key naming a missing file is an error.
Expected<std::optional<std::string>> find_model(const Config& cfg,
                                                const std::string& script_location);

// Loads the model module at `path` (its code runs) and reads its tables.
Expected<Schema> load_model_module(const std::string& path);

// The module of the model at `path`: a .cpp source is compiled first when
// its module is missing or older than it (into its directory's
// build/.retort/units/, like revision sources); anything else is taken to be
// a built module already.
Expected<std::string> build_model(const Config& cfg, const std::string& path,
                                  std::ostream& progress);

// The model of `path`: build_model, then load_model_module.
Expected<Schema> load_model(const Config& cfg, const std::string& path, std::ostream& progress);

}  // namespace retort::autogenerate

#endif  // RETORT_MODEL_MODULE_HPP
