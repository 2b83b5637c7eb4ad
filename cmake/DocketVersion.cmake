# docket's version is written once, in include/docket/version.h; this reads it before
# project() so that PROJECT_VERSION, the shared library's VERSION/SOVERSION and docket.pc
# all follow the header. Sets DOCKET_VERSION (MAJOR.MINOR.PATCH) and DOCKET_SOVERSION.
file(STRINGS ${CMAKE_CURRENT_LIST_DIR}/../include/docket/version.h _docket_version_lines
  REGEX "^#define DOCKET_(VERSION_[A-Z]+|SOVERSION) ")
foreach(_docket_field VERSION_MAJOR VERSION_MINOR VERSION_PATCH VERSION_STRING SOVERSION)
  set(_docket_value)
  foreach(_docket_line ${_docket_version_lines})
    if(_docket_line MATCHES "^#define DOCKET_${_docket_field} +\"?([0-9.]+)\"?$")
      set(_docket_value ${CMAKE_MATCH_1})
    endif()
  endforeach()
  if(_docket_value STREQUAL "")
    message(FATAL_ERROR "docket: include/docket/version.h does not define DOCKET_${_docket_field}")
  endif()
  set(_DOCKET_${_docket_field} ${_docket_value})
endforeach()
set(DOCKET_VERSION "${_DOCKET_VERSION_MAJOR}.${_DOCKET_VERSION_MINOR}.${_DOCKET_VERSION_PATCH}")
if(NOT DOCKET_VERSION STREQUAL _DOCKET_VERSION_STRING)
  message(FATAL_ERROR "docket: include/docket/version.h: DOCKET_VERSION_STRING is "
    "\"${_DOCKET_VERSION_STRING}\", the numbers say ${DOCKET_VERSION}")
endif()
set(DOCKET_SOVERSION ${_DOCKET_SOVERSION})
