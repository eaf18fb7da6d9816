# cmake -DTREE=<tree> -DRULE=<rule-id> [-DEXPECT=<text>] -P expect_violation.cmake
#
# Self-test of check_layering.cmake: runs it on <tree> and passes only if it fails, reports <RULE>
# and no other rule (so a tree that fails for another reason does not count), and, when EXPECT is
# given, prints that text (for example the cycle it found).

foreach(var TREE RULE)
    if(NOT ${var})
        message(FATAL_ERROR "${var} not set")
    endif()
endforeach()

execute_process(
    COMMAND "${CMAKE_COMMAND}" -DEASEL_ROOT=${TREE} -P "${CMAKE_CURRENT_LIST_DIR}/check_layering.cmake"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE out)
message(NOTICE "${out}")

if(rc EQUAL 0)
    message(FATAL_ERROR "self-test ${RULE}: the check passed on ${TREE}, it must fail")
endif()
if(NOT out MATCHES "layering: rules broken: ([^\n]*)")
    message(FATAL_ERROR "self-test ${RULE}: the check failed without reporting a broken rule (rc ${rc})")
endif()
set(broken "${CMAKE_MATCH_1}")
if(NOT broken STREQUAL RULE)
    message(FATAL_ERROR "self-test ${RULE}: expected exactly rule '${RULE}' broken, got '${broken}'")
endif()
string(FIND "${out}" "\n  ${RULE}: " at)
if(at EQUAL -1)
    message(FATAL_ERROR "self-test ${RULE}: no violation line starts with '${RULE}: '")
endif()
if(DEFINED EXPECT)
    string(FIND "${out}" "${EXPECT}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "self-test ${RULE}: the output lacks '${EXPECT}'")
    endif()
endif()
message(STATUS "self-test ${RULE}: detected")
