# Debian packages for the distribution this build runs on, one per component:
#   quartet-wireshark-plugin  quartet.so in that distribution's system plugin folder
#                             (plugin/CMakeLists.txt), depending on its libwireshark ABI package
#   quartet                   /usr/bin/quartet and its man page (analyzer/CMakeLists.txt)
#
#   cmake --build build --target deb     # builds what the packages hold, then runs cpack -G DEB
#   -> build/packages/*.deb; install with: sudo apt-get install ./build/packages/<file>.deb
set(_components)
if(TARGET quartet_plugin)
  list(APPEND _components system_plugin)
endif()
if(TARGET quartet)
  list(APPEND _components analyzer)
endif()
if(NOT _components)
  return()
endif()

# cpack installs what is built; without this it would first build everything, unit tests included.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME quartet)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "quartet developers <quartet@invalid>")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL ${_components})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# dpkg-shlibdeps turns the libraries each binary links into Depends: for the plugin that
# includes libwireshark<ABI> (libwireshark16 on bookworm, 18 on trixie), which pins it to
# the Wireshark release series whose plugin folder it is installed in.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(CPACK_DEBIAN_SYSTEM_PLUGIN_PACKAGE_NAME quartet-wireshark-plugin)
set(CPACK_DEBIAN_SYSTEM_PLUGIN_PACKAGE_RECOMMENDS "tshark | wireshark")
set(CPACK_COMPONENT_SYSTEM_PLUGIN_DESCRIPTION
  "Wireshark ${QUARTET_WS_VERSION} plugin for COPS, RRP, IAP and nanomsg SP
Dissectors for COPS (RFC 2748/3084/4261, PacketCable), RRP (RFC 2832/3632), IAP
(draft-ietf-idwg-iap-01) and nanomsg SP, with the display filter names copsx, rrp,
iapx and sp, for Wireshark and tshark ${QUARTET_WS_VERSION}.")

set(CPACK_DEBIAN_ANALYZER_PACKAGE_NAME quartet)
set(CPACK_COMPONENT_ANALYZER_DESCRIPTION
  "timelines of COPS, RRP, IAP and SP sessions in packet captures
quartet reads pcap/pcapng captures, reassembles TCP and prints for every COPS, RRP,
IAP and nanomsg SP session a timeline of what was asked, what was answered, how long
it took and what went wrong, as text or JSON Lines.")

include(CPack)

set(_deb_deps)
foreach(t quartet_plugin quartet quartet-manpage)
  if(TARGET ${t})
    list(APPEND _deb_deps ${t})
  endif()
endforeach()
add_custom_target(deb
  COMMAND ${CMAKE_CPACK_COMMAND} -G DEB --config ${CMAKE_BINARY_DIR}/CPackConfig.cmake
  WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
  DEPENDS ${_deb_deps}
  COMMENT "Building Debian packages into ${CPACK_PACKAGE_DIRECTORY}"
  VERBATIM)
