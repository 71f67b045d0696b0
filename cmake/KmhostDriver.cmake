# kmhost_add_driver(<target> [KMDF] SOURCES <src>... [OUTPUT_NAME <name>]
#                   [INF <file.inf|file.inx>] [INCLUDE_DIRECTORIES <dir>...]
#                   [DEFINES <def>...])
#   Builds a Windows driver's unmodified sources into build/drivers/<name>.sys
#   (an ELF shared object kmhost's loader can load; <name> defaults to the
#   target), and copies its INF beside it, so build/drivers is a driver
#   package folder as the WDK makes one. KMDF drivers get the FxDriverEntry
#   stub linked in, as the WDK links WdfDriverEntry.lib.
# kmhost_add_app(<name> SOURCES <src>... [INCLUDE_DIRECTORIES <dir>...])
#   Builds a Win32 test program against include/um, linked with the in-process
#   client (CreateFile, DeviceIoControl, ...).

set(KMHOST_DRIVER_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/drivers)

function(kmhost_add_driver name)
  cmake_parse_arguments(ARG "KMDF" "OUTPUT_NAME;INF" "SOURCES;INCLUDE_DIRECTORIES;DEFINES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  if(ARG_OUTPUT_NAME)
    set_target_properties(${name} PROPERTIES OUTPUT_NAME ${ARG_OUTPUT_NAME})
  endif()
  if(ARG_INF)
    get_filename_component(inf_name ${ARG_INF} NAME)
    configure_file(${ARG_INF} ${KMHOST_DRIVER_OUTPUT_DIRECTORY}/${inf_name} COPYONLY)
  endif()
  # Windows drivers often name C files *.C; they are C, not C++.
  set_source_files_properties(${ARG_SOURCES} PROPERTIES LANGUAGE C)
  set_target_properties(${name} PROPERTIES
    PREFIX "" SUFFIX ".sys"
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
