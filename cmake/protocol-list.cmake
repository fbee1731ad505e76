# build/protocols.json: the core's protocol list (`quartet --list-protocols -F json`)
# for the scripts that iterate over "every protocol" (captures/golden.py, the plugin
# e2e runner, fuzz/make_seeds.py, bench/bench.py; through scripts/lib/protocol_list.py).
# Written by a tool that links the core only, so plugin-only builds have it too.
set(QUARTET_PROTOCOLS_JSON ${CMAKE_BINARY_DIR}/protocols.json)
add_executable(quartet_list_protocols ${PROJECT_SOURCE_DIR}/analyzer/list_protocols.cpp
               ${PROJECT_SOURCE_DIR}/analyzer/app/protocol_list.cpp ${PROJECT_SOURCE_DIR}/analyzer/app/json.cpp)
target_include_directories(quartet_list_protocols PRIVATE ${PROJECT_SOURCE_DIR}/analyzer
                           ${PROJECT_SOURCE_DIR}/analyzer/app)
target_link_libraries(quartet_list_protocols PRIVATE quartet_core)
add_custom_command(OUTPUT ${QUARTET_PROTOCOLS_JSON}
  COMMAND quartet_list_protocols ${QUARTET_PROTOCOLS_JSON}
  DEPENDS quartet_list_protocols
  COMMENT "Writing protocols.json from the core's registry"
  VERBATIM)
add_custom_target(quartet-protocols-json ALL DEPENDS ${QUARTET_PROTOCOLS_JSON})
# The wrappers' tests read it: building either wrapper writes it.
foreach(_t quartet quartet_plugin)
  if(TARGET ${_t})
    add_dependencies(${_t} quartet-protocols-json)
  endif()
endforeach()

# The same list at configure time, for targets made per protocol (fuzz/: fuzz_<module>
# with QUARTET_FUZZ_ONLY=<index>): the module names in core/common/registry.cpp's
# all_protocols(), in order. The index is the position in that list.
file(STRINGS ${PROJECT_SOURCE_DIR}/core/common/registry.cpp _registry_lines REGEX "^ *&[a-z0-9_]+::protocol\\(\\),")
set(QUARTET_PROTOCOL_MODULES)
foreach(_line ${_registry_lines})
  string(REGEX REPLACE "^ *&([a-z0-9_]+)::protocol.*" "\\1" _module "${_line}")
  list(APPEND QUARTET_PROTOCOL_MODULES ${_module})
endforeach()
if(NOT QUARTET_PROTOCOL_MODULES)
  message(FATAL_ERROR "no protocol found in core/common/registry.cpp's all_protocols()")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/core/common/registry.cpp)
