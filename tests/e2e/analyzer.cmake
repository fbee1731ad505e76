# End-to-end tests of the real quartet binary. tests/e2e/analyzer/scenarios.py
# builds the captures packet by packet (into the build tree); run_e2e.py runs
# quartet on them and checks the JSONL and the text output. One ctest per case.
if(TARGET quartet)
  set(QUARTET_E2E_DIR ${CMAKE_CURRENT_SOURCE_DIR}/analyzer)
  set(QUARTET_E2E_WORK ${CMAKE_CURRENT_BINARY_DIR}/analyzer-e2e)
  foreach(case mixed_jsonl mixed_text summary protocol_filter bpf decode_as stdin output_file
               nanoseconds gap tls_port truncated bad_inputs multi_file messy captures_sp captures_cops captures_iap_rrp)
    add_test(NAME analyzer.e2e.${case}
             COMMAND /usr/bin/python3 ${QUARTET_E2E_DIR}/run_e2e.py $<TARGET_FILE:quartet> ${QUARTET_E2E_WORK} ${case})
  endforeach()
  # docs/problems.md must list exactly the core's problem tables.
  add_test(NAME analyzer.problems_doc_current
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/analyzer/problems_doc.py $<TARGET_FILE:quartet>
                   ${PROJECT_SOURCE_DIR}/docs/problems.md --check)
  # The bench generator and script, on a tiny capture, so they do not rot.
  if(EXISTS ${PROJECT_SOURCE_DIR}/bench/bench.py)
    add_test(NAME analyzer.bench_smoke
             COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/bench/bench.py --quartet $<TARGET_FILE:quartet>
                     --workdir ${CMAKE_CURRENT_BINARY_DIR}/bench-smoke --sessions 20 --no-tshark)
  endif()
endif()
