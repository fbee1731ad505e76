# TLS decryption end to end (tests/e2e/tls/):
#   tls.case.<name>    - the real quartet on bad inputs (wrong key, corrupted tag, record cut by
#                        the capture's end, junk key log, another capture's key log), secrets
#                        from pcapng blocks, stdin, merged files and SSLKEYLOGFILE, and no secret
#                        in any output
#   tls.oracle.<cap>   - for every capture with TLS secrets, quartet's decrypted messages equal
#                        those tshark with our plugin shows from the same secrets
find_program(QUARTET_TLS_PYTHON /usr/bin/python3)
if(NOT QUARTET_TLS_PYTHON OR NOT TARGET quartet)
  return()
endif()
set(_tls ${CMAKE_CURRENT_SOURCE_DIR}/tls)
foreach(case wrong_key corrupted_tag cut_record junk_keylog other_capture_keylog secrets_block sslkeylogfile any_port mutations
             no_secrets_in_output)
  add_test(NAME tls.case.${case}
           COMMAND ${QUARTET_TLS_PYTHON} ${_tls}/tls_cases.py $<TARGET_FILE:quartet> ${CMAKE_CURRENT_BINARY_DIR}/tls-cases ${case})
endforeach()

set(_install ${PROJECT_SOURCE_DIR}/tests/e2e/plugin/install_plugin.py)
if(TARGET quartet_plugin AND EXISTS ${_install})
  execute_process(COMMAND ${QUARTET_TLS_PYTHON} ${_tls}/tls_oracle.py list
                  RESULT_VARIABLE _rc_tls_caps OUTPUT_VARIABLE _tls_caps OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc_tls_caps EQUAL 0)  # a list that cannot be made must not drop its tests silently
    message(FATAL_ERROR "listing the test captures failed (${_rc_tls_caps})")
  endif()
  string(REPLACE "\n" ";" _tls_caps "${_tls_caps}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_tls}/tls_oracle.py)
  quartet_nobody_workdir(_twork tls.oracle)
  quartet_plugin_home(_thome tls.oracle)
  foreach(cap ${_tls_caps})
    string(REPLACE "/" "__" _tname "${cap}")
    add_test(NAME tls.oracle.${cap}
             COMMAND ${QUARTET_TLS_PYTHON} ${_tls}/tls_oracle.py check ${cap} --quartet $<TARGET_FILE:quartet>
                     --home ${_thome} --work ${_twork}/caps/${_tname})
    set_tests_properties(tls.oracle.${cap} PROPERTIES
      FIXTURES_REQUIRED tls.oracle_home SKIP_RETURN_CODE 77 TIMEOUT 300)
  endforeach()
endif()
