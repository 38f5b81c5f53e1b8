# The CMake functions for building retort plugins, the one definition used
# both by retort's own tree (sdk/CMakeLists.txt) and by an installed package
# (find_package(Retort) includes it from lib/cmake/Retort/).
#
#   retort_add_dialect(<name> <sources...>)
#     A dialect plugin: MODULE target retort_dialect_<name>, file <name>.so.
#     It lands in ${RETORT_DIALECT_OUTPUT_DIR} when the caller sets that.
#
#   retort_add_revisions(<target> DIRECTORY <versions dir> [PACK]
#                        [OUTPUT_DIRECTORY <dir>] [DEPLOY <dir>])
#     One module per revision source <versions>/<stem>.cpp, built in
#     <versions>/build/<stem>.so (or OUTPUT_DIRECTORY), as targets
#     <target>_<stem> gathered under <target>; or, with PACK, one module
#     <target>.so holding every revision of the folder. retort loads either
#     as it is from the version location (or through the revision_modules
#     key) and compiles none of those sources again.
#     With DEPLOY, each build also writes a prebuilt deploy there
#     (manifest.json and modules/), as `retort build --deploy` does, with the
#     retort::retort executable of the package.
#
# Every plugin is built the same way: hidden visibility, -fno-gnu-unique for
# C++ with GCC (clang makes no unique symbols and has no such option), C++ as C++20 and C as C99, linked with the version script that exports
# only retort_plugin_entry, and against retort::sdk (headers only).

# The version script: the caller may name it before including this file (the
# source tree does); else it lies beside this file (the installed package).
if(NOT RETORT_PLUGIN_EXPORTS_MAP)
  set(RETORT_PLUGIN_EXPORTS_MAP ${CMAKE_CURRENT_LIST_DIR}/plugin_exports.map)
endif()
set_property(GLOBAL PROPERTY RETORT_PLUGIN_EXPORTS_MAP ${RETORT_PLUGIN_EXPORTS_MAP})

# Makes <target> a plugin as every retort plugin must be built.
function(_retort_plugin_properties target)
  get_property(exports_map GLOBAL PROPERTY RETORT_PLUGIN_EXPORTS_MAP)
  target_link_libraries(${target} PRIVATE retort::sdk)
  set_target_properties(${target} PROPERTIES
    PREFIX "" SUFFIX ".so"
    CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF
    C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS ${exports_map})
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANG_AND_ID:CXX,GNU>:-fno-gnu-unique>)
  target_link_options(${target} PRIVATE "LINKER:--version-script=${exports_map}")
endfunction()

function(retort_add_dialect name)
  if(NOT ARGN)
    message(FATAL_ERROR "retort_add_dialect(${name}) has no sources: name at least one .cpp or .c file")
  endif()
  set(target retort_dialect_${name})
  add_library(${target} MODULE ${ARGN})
  _retort_plugin_properties(${target})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${name})
  if(RETORT_DIALECT_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${RETORT_DIALECT_OUTPUT_DIR})
  endif()
  set_property(GLOBAL APPEND PROPERTY RETORT_BUILTIN_DIALECTS ${target})
endfunction()

# Writes a deploy of <target>'s modules to <deploy> after each build.
function(_retort_deploy target dir deploy modules)
  if(NOT TARGET retort::retort)
    message(FATAL_ERROR "retort_add_revisions(${target} DEPLOY): there is no retort::retort "
                        "executable; find_package(Retort) provides it")
  endif()
  get_filename_component(deploy ${deploy} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})
  set(ini ${CMAKE_CURRENT_BINARY_DIR}/${target}_deploy.ini)
  file(GENERATE OUTPUT ${ini} CONTENT "[retort]
script_location = ${dir}
version_locations = ${dir}
revision_modules = ${modules}
")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND retort::retort -q -c ${ini} build --deploy ${deploy}
    COMMENT "Writing the retort deploy ${deploy}" VERBATIM)
endfunction()

function(retort_add_revisions target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "PACK" "DIRECTORY;OUTPUT_DIRECTORY;DEPLOY" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "retort_add_revisions(${target}) does not know '${arg_UNPARSED_ARGUMENTS}': "
                        "use DIRECTORY <dir> [PACK] [OUTPUT_DIRECTORY <dir>] [DEPLOY <dir>]")
  endif()
  if(NOT arg_DIRECTORY)
    message(FATAL_ERROR "retort_add_revisions(${target}) has no DIRECTORY: name the versions folder")
  endif()
  get_filename_component(dir ${arg_DIRECTORY} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  file(GLOB sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  list(SORT sources)
  if(NOT sources)
    message(FATAL_ERROR "retort_add_revisions(${target}): no revision sources (*.cpp) in '${dir}'")
  endif()
  if(arg_PACK)
    add_library(${target} MODULE ${sources})
    _retort_plugin_properties(${target})
    if(arg_OUTPUT_DIRECTORY)
      set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${arg_OUTPUT_DIRECTORY})
    endif()
    if(arg_DEPLOY)
      _retort_deploy(${target} ${dir} ${arg_DEPLOY} "$<TARGET_FILE:${target}>")
    endif()
    return()
  endif()
  set(output_dir ${dir}/build)
  if(arg_OUTPUT_DIRECTORY)
    set(output_dir ${arg_OUTPUT_DIRECTORY})
  endif()
  add_custom_target(${target} ALL)
  foreach(source IN LISTS sources)
    get_filename_component(stem ${source} NAME_WLE)
    add_library(${target}_${stem} MODULE ${source})
    _retort_plugin_properties(${target}_${stem})
    set_target_properties(${target}_${stem} PROPERTIES
      OUTPUT_NAME ${stem} LIBRARY_OUTPUT_DIRECTORY ${output_dir})
    add_dependencies(${target} ${target}_${stem})
    list(APPEND modules "$<TARGET_FILE:${target}_${stem}>")
  endforeach()
  if(arg_DEPLOY)
    list(JOIN modules " " modules)
    _retort_deploy(${target} ${dir} ${arg_DEPLOY} "${modules}")
  endif()
endfunction()
