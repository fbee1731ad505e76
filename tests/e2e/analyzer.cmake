# End-to-end tests of the real quartet binary. tests/e2e/analyzer/scenarios.py
# builds the captures packet by packet (into the build tree); run_e2e.py runs
# quartet on them and checks the JSONL and the text output. One ctest per case.
if(TARGET quartet)
  set(QUARTET_E2E_DIR ${CMAKE_CURRENT_SOURCE_DIR}/analyzer)
  set(QUARTET_E2E_WORK ${CMAKE_CURRENT_BINARY_DIR}/analyzer-e2e)
  foreach(case mixed_jsonl mixed_text summary protocol_filter bpf decode_as stdin pipes live output_file
               nanoseconds gap tls_port truncated tunnels bad_inputs multi_file messy max_flows captures_sp captures_cops captures_iap_rrp
               captures_messy_expect deterministic output_errors)
    add_test(NAME analyzer.e2e.${case}
             COMMAND /usr/bin/python3 ${QUARTET_E2E_DIR}/run_e2e.py $<TARGET_FILE:quartet> ${QUARTET_E2E_WORK} ${case})
  endforeach()
  # docs/problems.md must list exactly the core's problem tables.
  add_test(NAME analyzer.problems_doc_current
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/analyzer/problems_doc.py $<TARGET_FILE:quartet>
                   ${PROJECT_SOURCE_DIR}/docs/problems.md --check)
  # --shard K/N merged back equals one run, on every sample capture; and through Dask (LocalCluster, 2 workers;
  # and a scheduler and two workers started as separate processes, reached with --scheduler).
  foreach(case shards dask cluster)
    add_test(NAME analyzer.e2e.shard_${case}
             COMMAND /usr/bin/python3 ${QUARTET_E2E_DIR}/shard_test.py $<TARGET_FILE:quartet>
                     ${QUARTET_E2E_WORK}/shard ${case})
  endforeach()
  set_tests_properties(analyzer.e2e.shard_dask analyzer.e2e.shard_cluster PROPERTIES SKIP_RETURN_CODE 77)
  # The fan-out list's limit on 210,000 pub/sub connections, in one run and in shards merged (the real
  # build only: it takes a minute under the sanitizers).
  if(NOT QUARTET_SANITIZE)
    add_test(NAME analyzer.e2e.shard_fanout
             COMMAND /usr/bin/python3 ${QUARTET_E2E_DIR}/shard_test.py $<TARGET_FILE:quartet>
                     ${QUARTET_E2E_WORK}/shard fanout)
    set_tests_properties(analyzer.e2e.shard_fanout PROPERTIES TIMEOUT 300)
  endif()
  # --threads N prints byte for byte what --threads 1 prints (every sample capture, every format);
  # memory: --threads 2 peaks within a documented bound of --threads 1 (not under the sanitizers,
  # whose allocator and quarantine are what such a build's peak measures).
  set(threads_cases captures generated)
  if(NOT QUARTET_SANITIZE)
    list(APPEND threads_cases memory)
  endif()
  foreach(case ${threads_cases})
    add_test(NAME analyzer.e2e.threads_${case}
             COMMAND /usr/bin/python3 ${QUARTET_E2E_DIR}/threads_test.py $<TARGET_FILE:quartet>
                     ${QUARTET_E2E_WORK}/threads ${case})
    set_tests_properties(analyzer.e2e.threads_${case} PROPERTIES TIMEOUT 900)
  endforeach()
  # ... and on damaged captures over 1 MiB (read ahead): bench/'s three, and the mixed one as pcapng, each
  # cut, with bits flipped, a length lying, headers scribbled on and a stretch removed; text, JSONL and
  # HTML, --threads 2 and 3 against 1 (under ASan+UBSan in the sanitizer build).
  add_test(NAME analyzer.e2e.threads_damaged
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/fuzz/damaged_captures.py $<TARGET_FILE:quartet>
                   --generate ${QUARTET_E2E_WORK}/threads-damaged --cases 5)
  set_tests_properties(analyzer.e2e.threads_damaged PROPERTIES TIMEOUT 600)
  # The bench generators, helpers and script on tiny captures, so they do not rot: --check asserts
  # every run printed output, the quartet modes count the same messages, every table is whole,
  # the --threads rows and their speedup lines are there (the figures themselves are not checked).
  if(EXISTS ${PROJECT_SOURCE_DIR}/bench/bench.py AND TARGET quartet_alloc)
    add_test(NAME analyzer.bench_smoke
             COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/bench/bench.py --quartet $<TARGET_FILE:quartet>
                     --bench-bin $<TARGET_FILE_DIR:quartet_alloc>
                     --workdir ${CMAKE_CURRENT_BINARY_DIR}/bench-smoke --mixed-mb 1 --small-mb 0.5
                     --connections 2000 --idle-flows 2000 --tls-sessions 2 --repeat 1 --paired 3 --pcapng --no-tshark
                     --threads 1,2 --check)
    # --markdown: each table under its capture's title line, figures included, in the
    # README's form (a table pasted under another capture's title went unnoticed once).
    add_test(NAME analyzer.bench_markdown
             COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/bench/bench.py --quartet $<TARGET_FILE:quartet>
                     --bench-bin $<TARGET_FILE_DIR:quartet_alloc>
                     --workdir ${CMAKE_CURRENT_BINARY_DIR}/bench-markdown --captures small --small-mb 0.2
                     --idle-flows 0 --tls-sessions 0 --repeat 1 --no-tshark --no-tcpflow --markdown --check)
    set_tests_properties(analyzer.bench_markdown PROPERTIES PASS_REGULAR_EXPRESSION
                         "\\*\\*small-PDU capture\\*\\* \\([0-9.]+ MB, [1-9][0-9,]* packets, [1-9][0-9,]* PDUs\\):\n\n\\| run \\|"
                         FAIL_REGULAR_EXPRESSION "check\\(s\\) failed;Traceback")
  endif()
endif()

# Hostile captures (tests/e2e/analyzer/hostile.py): a clear warning, nothing else
# lost, bounded memory. The two large ones run reduced here; scripts/hostile_full.sh
# runs them at full size (1,000,000 connections, a 10 GB flow; docs/robustness.md).
if(TARGET quartet)
  set(_hostile ${CMAKE_CURRENT_SOURCE_DIR}/analyzer/hostile.py)
  foreach(case sp_length_2_63 cops_length_below_header rrp_line_10mb iap_content_length timestamps
               pcapng_blocks ip_fragments_overlap)
    add_test(NAME analyzer.hostile.${case}
             COMMAND /usr/bin/python3 ${_hostile} $<TARGET_FILE:quartet> ${CMAKE_CURRENT_BINARY_DIR}/hostile ${case})
    set_tests_properties(analyzer.hostile.${case} PROPERTIES TIMEOUT 300)
  endforeach()
  # Their memory bounds are for the real build: under ASan the shadow memory and
  # quarantine add hundreds of MiB, and they take minutes there.
  if(NOT QUARTET_SANITIZE)
  add_test(NAME analyzer.hostile.many_flows_reduced
           COMMAND /usr/bin/python3 ${_hostile} $<TARGET_FILE:quartet> ${CMAKE_CURRENT_BINARY_DIR}/hostile many_flows
                   --size 100000)
  add_test(NAME analyzer.hostile.many_closed_reduced
           COMMAND /usr/bin/python3 ${_hostile} $<TARGET_FILE:quartet> ${CMAKE_CURRENT_BINARY_DIR}/hostile many_closed
                   --size 200000)
  add_test(NAME analyzer.hostile.big_flow_reduced
           COMMAND /usr/bin/python3 ${_hostile} $<TARGET_FILE:quartet> ${CMAKE_CURRENT_BINARY_DIR}/hostile big_flow
                   --size 300000000)
  add_test(NAME analyzer.hostile.large_messages_in_turn
           COMMAND /usr/bin/python3 ${_hostile} $<TARGET_FILE:quartet> ${CMAKE_CURRENT_BINARY_DIR}/hostile
                   large_messages_in_turn --size 100)
  add_test(NAME analyzer.hostile.lying_lengths_reduced
           COMMAND /usr/bin/python3 ${_hostile} $<TARGET_FILE:quartet> ${CMAKE_CURRENT_BINARY_DIR}/hostile lying_lengths
                   --size 50000)
  add_test(NAME analyzer.hostile.concurrent_large_messages
           COMMAND /usr/bin/python3 ${_hostile} $<TARGET_FILE:quartet> ${CMAKE_CURRENT_BINARY_DIR}/hostile
                   concurrent_large_messages --size 400)
  set_tests_properties(analyzer.hostile.many_flows_reduced analyzer.hostile.many_closed_reduced
                       analyzer.hostile.big_flow_reduced analyzer.hostile.large_messages_in_turn
                       analyzer.hostile.lying_lengths_reduced analyzer.hostile.concurrent_large_messages
                       PROPERTIES TIMEOUT 600)
  endif()
endif()
