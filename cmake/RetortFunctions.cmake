# The CMake functions for building retort plugins, the one definition used
# both by retort's own tree (sdk/CMakeLists.txt) and by an installed package
# (find_package(Retort) includes it from lib/cmake/Retort/).
#
#   retort_add_dialect(<name> <sources...>)
#     A dialect plugin: MODULE target retort_dialect_<name>, file <name>.so.
#     It lands in ${RETORT_DIALECT_OUTPUT_DIR} when the caller sets that.
#
#   retort_add_revisions(<target> DIRECTORY <versions dir> [PACK]
#                        [OUTPUT_DIRECTORY <dir>])
#     One module per revision source <versions>/<stem>.cpp, built where
#     `retort build` puts it (<versions>/build/<stem>.so, or OUTPUT_DIRECTORY),
#     as targets <target>_<stem> gathered under <target>; or, with PACK, one
#     module <target>.so holding every revision of the folder.
#
# Every plugin is built the same way: hidden visibility, -fno-gnu-unique for
# C++, C++ as C++20 and C as C99, linked with the version script that exports
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
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fno-gnu-unique>)
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

function(retort_add_revisions target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "PACK" "DIRECTORY;OUTPUT_DIRECTORY" "")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "retort_add_revisions(${target}) does not know '${arg_UNPARSED_ARGUMENTS}': "
                        "use DIRECTORY <dir> [PACK] [OUTPUT_DIRECTORY <dir>]")
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
  endforeach()
endfunction()
