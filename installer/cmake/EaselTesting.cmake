# easel_add_test(<name> SOURCES ... [LIBS ...] [LABELS ...] [TORCH] [TIMEOUT s])
# One Qt Test executable per test class (DESIGN.md). TORCH reuses the engine's precompiled torch
# header so a test that touches tensors does not pay the ~20 s torch header parse again.
function(easel_add_test name)
    cmake_parse_arguments(T "TORCH" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    # The headless variant (GPU machines) builds only the tests of what it builds differently: the
    # service and image files (PNG-only codec). Its other code is the full build's, tested there;
    # test objects never come from ccache across build folders (QT_TESTCASE_BUILDDIR differs).
    if(EASEL_HEADLESS_BENCH)
        if(NOT T_LABELS MATCHES "(^|;)(service|image)(;|$)")
            return()
        endif()
        list(APPEND T_LABELS headless)
    endif()
    add_executable(${name} ${T_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test easel_test_support ${T_LIBS})
    if(T_TORCH)
        target_link_libraries(${name} PRIVATE ${TORCH_LIBRARIES})
        target_include_directories(${name} PRIVATE ${TORCH_INCLUDE_DIRS})
        if(EASEL_USE_PCH)
            target_precompile_headers(${name} REUSE_FROM easel_engine)
        endif()
    endif()
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    add_test(NAME ${name} COMMAND ${name})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 600)
    endif()
    set_tests_properties(${name} PROPERTIES
        LABELS "${T_LABELS}"
        TIMEOUT ${T_TIMEOUT}
        # Each test its own home and settings folder: tests running in parallel (ctest -j) never share
        # QSettings files (QStandardPaths' test mode puts them under $HOME/.qttest).
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;EASEL_THREADS=2;HOME=${CMAKE_BINARY_DIR}/test-home/${name};XDG_CONFIG_HOME=${CMAKE_BINARY_DIR}/test-home/${name}/.config")
endfunction()
