# kmhost_add_driver(<name> [KMDF] SOURCES <src>... [INCLUDE_DIRECTORIES <dir>...]
#                   [DEFINES <def>...])
#   Builds a Windows driver's unmodified sources into <name>.sys.so, a shared
#   object kmhost's loader can load. KMDF drivers get the FxDriverEntry stub
#   linked in, as the WDK links WdfDriverEntry.lib.
# kmhost_add_app(<name> SOURCES <src>... [INCLUDE_DIRECTORIES <dir>...])
#   Builds a Win32 test program against include/um, linked with the in-process
#   client (CreateFile, DeviceIoControl, ...).

set(KMHOST_DRIVER_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/drivers)

function(kmhost_add_driver name)
  cmake_parse_arguments(ARG "KMDF" "" "SOURCES;INCLUDE_DIRECTORIES;DEFINES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  # Windows drivers often name C files *.C; they are C, not C++.
  set_source_files_properties(${ARG_SOURCES} PROPERTIES LANGUAGE C)
  set_target_properties(${name} PROPERTIES
    PREFIX "" SUFFIX ".sys.so"
    LIBRARY_OUTPUT_DIRECTORY ${KMHOST_DRIVER_OUTPUT_DIRECTORY}
    C_STANDARD 11 C_EXTENSIONS ON
    C_COMPILER_LAUNCHER "${CMAKE_BINARY_DIR}/bin/kmhost-cc;--launch")
  add_dependencies(${name} kmhost-cc)
  set_property(GLOBAL APPEND PROPERTY KMHOST_DRIVER_TARGETS ${name})
  target_compile_definitions(${name} PRIVATE ${KMHOST_DRIVER_DEFINES} ${ARG_DEFINES})
  target_compile_options(${name} PRIVATE ${KMHOST_DRIVER_CFLAGS})
  target_include_directories(${name} PRIVATE ${ARG_INCLUDE_DIRECTORIES}
    ${KMHOST_INCLUDE_KM} ${KMHOST_INCLUDE_SHARED})
  # -Bsymbolic: a driver's own functions must never be interposed by a
  # same-named symbol elsewhere in the process (two drivers both define
  # DriverEntry, and the host exports Win32 names).
  target_link_options(${name} PRIVATE -Wl,-Bsymbolic)
  if(ARG_KMDF)
    target_include_directories(${name} PRIVATE ${KMHOST_INCLUDE_WDF})
    target_link_libraries(${name} PRIVATE
      -Wl,--whole-archive kmhost_fxstub -Wl,--no-whole-archive)
  endif()
endfunction()

function(kmhost_add_app name)
  cmake_parse_arguments(ARG "" "" "SOURCES;INCLUDE_DIRECTORIES;DEFINES" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_definitions(${name} PRIVATE ${KMHOST_APP_DEFINES} ${ARG_DEFINES})
  target_compile_options(${name} PRIVATE ${KMHOST_APP_CFLAGS})
  target_include_directories(${name} PRIVATE ${ARG_INCLUDE_DIRECTORIES}
    ${KMHOST_INCLUDE_UM} ${KMHOST_INCLUDE_SHARED})
  set_target_properties(${name} PROPERTIES C_EXTENSIONS ON)
  target_link_libraries(${name} PRIVATE kmhost)
endfunction()
