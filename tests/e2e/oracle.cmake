# Wireshark's built-in COPS dissector as the oracle for the PacketCable decoding: every value
# it shows for a PacketCable capture under captures/ must appear in copsx (tests/e2e/oracle/).
find_program(QUARTET_ORACLE_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT QUARTET_ORACLE_PYTHON OR NOT TARGET quartet_plugin)
  return()
endif()
file(GLOB_RECURSE _pktc_caps CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/captures/*pcmm*.pcap* ${PROJECT_SOURCE_DIR}/captures/*dqos*.pcap*)
list(FILTER _pktc_caps EXCLUDE REGEX "/golden/")  # golden outputs are named after their captures
if(NOT _pktc_caps)
  return()
endif()
quartet_plugin_home(_ohome oracle.pktc)
quartet_nobody_workdir(_owork oracle.pktc)
add_test(NAME oracle.pktc
         COMMAND ${QUARTET_ORACLE_PYTHON} ${PROJECT_SOURCE_DIR}/tests/e2e/oracle/pktc_oracle.py
                 --home ${_ohome} --work ${_owork}/caps ${_pktc_caps})
set_tests_properties(oracle.pktc PROPERTIES FIXTURES_REQUIRED oracle.pktc_home
                     SKIP_RETURN_CODE 77 TIMEOUT 120)
