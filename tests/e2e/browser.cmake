# The HTML report in a real browser: Debian's chromium, headless, driven by
# puppeteer-core from tests/browser (npm ci by scripts/setup.sh). Each case writes
# the report of one capture and checks it against the same capture's JSONL and text
# summary (tests/browser/report_test.js); the hostile case builds a capture full of
# script-like values and checks that nothing runs. Screenshots: build/browser/*.png.
# Skipped (77) when chromium or puppeteer-core is missing.
find_program(QUARTET_NODE node)
if(TARGET quartet AND QUARTET_NODE)
  set(QUARTET_BROWSER_DIR ${PROJECT_SOURCE_DIR}/tests/browser)
  set(QUARTET_BROWSER_WORK ${CMAKE_BINARY_DIR}/browser)
  set(captures demo.pcapng cops/cops-pr.pcapng rrp/rrp-session.pcapng messy/cops-gap.pcap iap/iap-refused.pcap)
  if(QUARTET_SANITIZE)  # the sanitizer build checks the writer on the mixed capture and the hostile one only
    set(captures demo.pcapng)
  endif()
  foreach(capture ${captures})
    string(REPLACE "/" "__" name ${capture})
    add_test(NAME browser.report.${name}
             COMMAND ${QUARTET_NODE} ${QUARTET_BROWSER_DIR}/report_test.js $<TARGET_FILE:quartet> ${QUARTET_BROWSER_WORK}
                     ${PROJECT_SOURCE_DIR}/captures/${capture})
    set_tests_properties(browser.report.${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 RESOURCE_LOCK chromium)
  endforeach()
  # Many sessions, two of them long: the report's messages come in several compressed blocks,
  # cut by size (summary.blocks); the first and last session of each must open in the page.
  if(NOT QUARTET_SANITIZE)
    add_test(NAME browser.report.blocks_capture
             COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/bench/gen_report_capture.py ${QUARTET_BROWSER_WORK}/blocks.pcap
                     --sessions 1200 --long-sessions 2)
    set_tests_properties(browser.report.blocks_capture PROPERTIES FIXTURES_SETUP blocks_capture)
    add_test(NAME browser.report.blocks
             COMMAND ${QUARTET_NODE} ${QUARTET_BROWSER_DIR}/report_test.js --min-blocks 5 $<TARGET_FILE:quartet>
                     ${QUARTET_BROWSER_WORK} ${QUARTET_BROWSER_WORK}/blocks.pcap -d sp=5555)
    set_tests_properties(browser.report.blocks PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RESOURCE_LOCK chromium
                         FIXTURES_REQUIRED blocks_capture)
  endif()
  add_test(NAME browser.report.hostile_capture
           COMMAND /usr/bin/python3 ${QUARTET_BROWSER_DIR}/make_hostile.py ${QUARTET_BROWSER_WORK}/hostile.pcap)
  set_tests_properties(browser.report.hostile_capture PROPERTIES FIXTURES_SETUP hostile_capture)
  add_test(NAME browser.report.hostile
           COMMAND ${QUARTET_NODE} ${QUARTET_BROWSER_DIR}/report_test.js --hostile $<TARGET_FILE:quartet>
                   ${QUARTET_BROWSER_WORK} ${QUARTET_BROWSER_WORK}/hostile.pcap -d sp=5555)
  set_tests_properties(browser.report.hostile PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 RESOURCE_LOCK chromium
                       FIXTURES_REQUIRED hostile_capture)
endif()
