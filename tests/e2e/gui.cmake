# One smoke test of the Qt `wireshark` with the plugin in a throwaway HOME, under Xvfb
# (tests/e2e/gui/wireshark_smoke.py says what it checks). Screenshots land in
# <work>/artifacts/. Missing wireshark-qt/xvfb/xdotool/imagemagick make it FAIL, not skip:
# scripts/setup.sh installs them.
if(NOT TARGET quartet_plugin)
  return()
endif()
find_program(QUARTET_GUI_PYTHON NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
quartet_nobody_workdir(_gui_work gui)
add_test(NAME gui.wireshark_smoke
         COMMAND ${QUARTET_GUI_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/gui/wireshark_smoke.py
                 $<TARGET_FILE:quartet_plugin> ${PROJECT_SOURCE_DIR}/captures ${_gui_work})
set_tests_properties(gui.wireshark_smoke PROPERTIES TIMEOUT 300)
