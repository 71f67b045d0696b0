# Flags shared by kmhost itself, the drivers it builds and the apps that talk
# to them. kmhost-cc gets the same lists through a generated header, so a
# driver built by CMake and one built by kmhost-cc are compiled alike.

set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
set(CMAKE_LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)
set(CMAKE_ARCHIVE_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)

set(KMHOST_SANITIZE_FLAGS "")
if(KMHOST_SANITIZE)
  string(REPLACE "," ";" _kmh_sans "${KMHOST_SANITIZE}")
  foreach(_s IN LISTS _kmh_sans)
    list(APPEND KMHOST_SANITIZE_FLAGS -fsanitize=${_s})
  endforeach()
  list(APPEND KMHOST_SANITIZE_FLAGS -fno-omit-frame-pointer)
  if("undefined" IN_LIST _kmh_sans)
    list(APPEND KMHOST_SANITIZE_FLAGS -fno-sanitize-recover=undefined)
  endif()
  add_compile_options(${KMHOST_SANITIZE_FLAGS})
  add_link_options(${KMHOST_SANITIZE_FLAGS})
endif()

# WCHAR is 16-bit as on Windows; L"..." literals must agree with it.
set(KMHOST_ABI_FLAGS -fshort-wchar -fno-strict-aliasing)
# Pool tags are multi-character constants by Windows convention.
add_compile_options(${KMHOST_ABI_FLAGS} -Wall -Wextra -Wno-multichar)
if(KMHOST_WERROR)
  add_compile_options(-Werror)
endif()
set(CMAKE_C_VISIBILITY_PRESET hidden)
set(CMAKE_CXX_VISIBILITY_PRESET hidden)

set(KMHOST_INCLUDE_SHARED ${PROJECT_SOURCE_DIR}/include/shared)
set(KMHOST_INCLUDE_KM     ${PROJECT_SOURCE_DIR}/include/km)
set(KMHOST_INCLUDE_UM     ${PROJECT_SOURCE_DIR}/include/um)
set(KMHOST_INCLUDE_WDF    ${PROJECT_SOURCE_DIR}/include/wdf/kmdf/1.33)

# What a Windows driver build defines and expects of the compiler. DBG=1
# because drivers run here to be tested: their KdPrint output is wanted.
set(KMHOST_DRIVER_DEFINES
  _AMD64_ AMD64 _WIN64 _M_AMD64=100 _M_X64=100 _KERNEL_MODE=1
  NTDDI_VERSION=0x0A000010 _WIN32_WINNT=0x0A00 WINVER=0x0A00 DBG=1)
set(KMHOST_DRIVER_CFLAGS
  -std=gnu11 -fms-extensions -fno-common -fvisibility=hidden
  -Wno-unknown-pragmas -Wno-multichar -Wno-unused-parameter
  -Wno-missing-field-initializers -Wno-sign-compare -Wno-clobbered)
set(KMHOST_APP_DEFINES
  _AMD64_ AMD64 _WIN64 _M_AMD64=100 _M_X64=100
  _WIN32_WINNT=0x0A00 WINVER=0x0A00)
# -Wno-main: Windows programs declare VOID main.
set(KMHOST_APP_CFLAGS
  -fms-extensions -Wno-unknown-pragmas -Wno-multichar -Wno-unused-parameter
  -Wno-missing-field-initializers -Wno-sign-compare -Wno-main)
