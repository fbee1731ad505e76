# End-to-end tests of the Wireshark plugin: the built quartet.so installed under a
# throwaway HOME and loaded by the real tshark (as nobody when run as root, since
# tshark as root ignores personal plugins). Captures: small hand-built ones from
# tests/e2e/plugin/make_captures.py, and the captures engineer's under captures/.
if(NOT TARGET quartet_plugin)
  if(QUARTET_REQUIRE_TSHARK AND QUARTET_PLUGIN)
    message(FATAL_ERROR "the plugin is not built (libwireshark-dev missing?) and QUARTET_REQUIRE_TSHARK is on")
  endif()
  return()
endif()
find_program(QUARTET_TSHARK tshark)
find_program(QUARTET_SYSTEM_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT QUARTET_TSHARK OR NOT QUARTET_SYSTEM_PYTHON)
  # CI (scripts/test.sh) sets QUARTET_REQUIRE_TSHARK: there a missing tshark must
  # fail the build, not silently drop every plugin test.
  if(QUARTET_REQUIRE_TSHARK)
    message(FATAL_ERROR "tshark or /usr/bin/python3 missing and QUARTET_REQUIRE_TSHARK is on")
  endif()
  message(WARNING "tshark or /usr/bin/python3 missing: plugin end-to-end tests skipped")
  return()
endif()

set(_dir ${CMAKE_CURRENT_SOURCE_DIR}/plugin)
quartet_nobody_workdir(_work plugin)
set(_home ${_work}/home)
set(_caps ${_work}/captures)

add_test(NAME plugin.install
         COMMAND ${QUARTET_SYSTEM_PYTHON} ${_dir}/install_plugin.py $<TARGET_FILE:quartet_plugin> ${_home})
set_tests_properties(plugin.install PROPERTIES FIXTURES_SETUP plugin_home)
# Hand-built captures, plus a copy of captures/ (the source tree may not be readable by nobody).
add_test(NAME plugin.make_captures
         COMMAND ${QUARTET_SYSTEM_PYTHON} ${_dir}/make_captures.py ${_caps} ${CMAKE_SOURCE_DIR}/captures)
set_tests_properties(plugin.make_captures PROPERTIES FIXTURES_SETUP plugin_captures)

# The documented install step puts quartet.so in the personal plugin folder.
add_test(NAME plugin.cmake_install
         COMMAND ${QUARTET_SYSTEM_PYTHON} ${_dir}/check_cmake_install.py ${CMAKE_BINARY_DIR}
                 ${_work}/destdir ${QUARTET_PLUGIN_INSTALL_DIR})

# One ctest per case in run_case.py.
set(QUARTET_PLUGIN_CASES registration yield_ports
    sp_reqrep sp_segments sp_malformed sp_incompatible sp_tls sp_large
    rrp_session rrp_errors iap_starttls
    cops_session cops_vs_builtin cops_starttls cops_tls_sample cops_malformed
    garbage no_reassembly iap_samples rrp_samples messy_same messy_other
    stats_srt stats_tree stats_flow stats_many_kinds heuristics_unrelated_tcp filter_without_tree unfinished)
foreach(case ${QUARTET_PLUGIN_CASES})
  add_test(NAME plugin.${case}
           COMMAND ${QUARTET_SYSTEM_PYTHON} ${_dir}/run_case.py ${_home} ${_caps} ${case})
  set_tests_properties(plugin.${case} PROPERTIES
    FIXTURES_REQUIRED "plugin_home;plugin_captures"
    TIMEOUT 300)
endforeach()

# The analyzer's response-time table and the plugin's SRT tables agree on every sample capture
# (issue 13): needs quartet too, so not in the plugin-only builds of other Wireshark versions.
if(TARGET quartet)
  add_test(NAME plugin.srt_agreement
           COMMAND ${QUARTET_SYSTEM_PYTHON} ${_dir}/srt_agreement.py $<TARGET_FILE:quartet> ${_home} ${_work}/srt)
  set_tests_properties(plugin.srt_agreement PROPERTIES FIXTURES_REQUIRED plugin_home TIMEOUT 600)
  # The analyzer's "message cut short" warnings and the plugin's <p>.unfinished name the same messages.
  add_test(NAME plugin.unfinished_agreement
           COMMAND ${QUARTET_SYSTEM_PYTHON} ${_dir}/unfinished_agreement.py $<TARGET_FILE:quartet> ${_home}
                   ${_work}/unfinished ${_caps})
  set_tests_properties(plugin.unfinished_agreement PROPERTIES FIXTURES_REQUIRED "plugin_home;plugin_captures"
                       TIMEOUT 600)
endif()

# The plugin fuzzed like Wireshark's tools/fuzz-test.sh (editcap -E mutations,
# tshark -nVxr, abort on dissector bugs): a few rounds here, any number by hand.
set(QUARTET_PLUGIN_FUZZ_ROUNDS 5 CACHE STRING "Rounds of tests/e2e/plugin/fuzz_plugin.py in ctest")
add_test(NAME plugin.fuzz_mutated_captures
         COMMAND ${QUARTET_SYSTEM_PYTHON} ${_dir}/fuzz_plugin.py ${_home} ${_work}/fuzz ${CMAKE_SOURCE_DIR}/captures
                 --rounds ${QUARTET_PLUGIN_FUZZ_ROUNDS})
add_test(NAME plugin.registration_warnings
         COMMAND ${QUARTET_SYSTEM_PYTHON} ${_dir}/fuzz_plugin.py ${_home} ${_work}/fuzz-g ${CMAKE_SOURCE_DIR}/captures
                 --registration)
set_tests_properties(plugin.fuzz_mutated_captures plugin.registration_warnings PROPERTIES
  FIXTURES_REQUIRED plugin_home TIMEOUT 600)
