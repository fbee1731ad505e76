# Golden regression tests: for every capture under captures/, the analyzer's JSONL and the
# plugin's tshark field output are compared with reviewed files in captures/golden/
# (captures/golden.py does the work; captures/regen_goldens.sh rewrites them on purpose).
# A tool that is not built makes its tests skip (exit 77) with a message, never fail.
find_program(QUARTET_GOLDEN_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT QUARTET_GOLDEN_PYTHON)
  message(WARNING "/usr/bin/python3 missing: golden tests skipped")
  return()
endif()
set(_golden ${PROJECT_SOURCE_DIR}/captures/golden.py)
execute_process(COMMAND ${QUARTET_GOLDEN_PYTHON} ${_golden} list
                RESULT_VARIABLE _rc_golden_caps OUTPUT_VARIABLE _golden_caps OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _rc_golden_caps EQUAL 0)  # a list that cannot be made must not drop its tests silently
  message(FATAL_ERROR "listing the test captures failed (${_rc_golden_caps})")
endif()
string(REPLACE "\n" ";" _golden_caps "${_golden_caps}")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_golden})

# --- analyzer -------------------------------------------------------------------------------
if(TARGET quartet)
  foreach(cap ${_golden_caps})
    add_test(NAME golden.analyzer.${cap}
             COMMAND ${QUARTET_GOLDEN_PYTHON} ${_golden} check analyzer ${cap} --quartet $<TARGET_FILE:quartet>)
    set_tests_properties(golden.analyzer.${cap} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
  endforeach()
else()
  add_test(NAME golden.analyzer COMMAND ${QUARTET_GOLDEN_PYTHON} ${_golden} check analyzer)
  set_tests_properties(golden.analyzer PROPERTIES SKIP_RETURN_CODE 77)
endif()

# --- plugin (tshark as nobody with quartet.so under a throwaway HOME, like plugin.cmake) -----
set(_install ${PROJECT_SOURCE_DIR}/tests/e2e/plugin/install_plugin.py)
if(TARGET quartet_plugin AND EXISTS ${_install})
  quartet_nobody_workdir(_gwork golden)
  quartet_plugin_home(_ghome golden.plugin)
  # `plugin`: the field output on every capture; `tree`: our protocols' decoded field trees
  # (normalised -T pdml) on every capture; `stats`: the statistics (-z <p>,srt, <p>,tree,
  # flow,<p>,network) on the captures in golden.py's STATS.
  execute_process(COMMAND ${QUARTET_GOLDEN_PYTHON} ${_golden} list stats
                  RESULT_VARIABLE _rc_stats_caps OUTPUT_VARIABLE _stats_caps OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc_stats_caps EQUAL 0)  # a list that cannot be made must not drop its tests silently
    message(FATAL_ERROR "listing the test captures failed (${_rc_stats_caps})")
  endif()
  string(REPLACE "\n" ";" _stats_caps "${_stats_caps}")
  foreach(tool plugin tree stats)
    set(_caps ${_golden_caps})
    if(tool STREQUAL "stats")
      set(_caps ${_stats_caps})
    endif()
    foreach(cap ${_caps})
      string(REPLACE "/" "__" _gname "${cap}")
      add_test(NAME golden.${tool}.${cap}
               COMMAND ${QUARTET_GOLDEN_PYTHON} ${_golden} check ${tool} ${cap}
                       --home ${_ghome} --work ${_gwork}/${tool}/${_gname})
      set_tests_properties(golden.${tool}.${cap} PROPERTIES
        FIXTURES_REQUIRED golden.plugin_home SKIP_RETURN_CODE 77 TIMEOUT 300)
    endforeach()
  endforeach()
else()
  add_test(NAME golden.plugin COMMAND ${QUARTET_GOLDEN_PYTHON} ${_golden} check plugin)
  set_tests_properties(golden.plugin PROPERTIES SKIP_RETURN_CODE 77)
endif()
