# toccata_add_test(NAME <name> SOURCES <files...> LIBS <targets...> LABELS <labels...>
#                  [TIMEOUT <s>] [ENVIRONMENT <K=V...>])
# One Qt Test class per executable, registered with CTest under its labels
# (unit, integration, gui, parity, slow). Every test learns where the source tree, the build
# tree and ../shared are through the environment, so tests never guess paths.
set(TOCCATA_SHARED_DIR "${CMAKE_SOURCE_DIR}/../shared" CACHE PATH
    "Shared corpora and reference weights; tests that need them skip when absent")

function(toccata_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ENVIRONMENT" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE Qt6::Test ${T_LIBS})
  target_include_directories(${T_NAME} PRIVATE ${CMAKE_SOURCE_DIR}/tests)
  set_target_properties(${T_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES
    LABELS "${T_LABELS}"
    TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;TOCCATA_SOURCE_DIR=${CMAKE_SOURCE_DIR};TOCCATA_BUILD_DIR=${CMAKE_BINARY_DIR};TOCCATA_SHARED_DIR=${TOCCATA_SHARED_DIR};${T_ENVIRONMENT}")
endfunction()
