easel_add_test(test_safetensors SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_safetensors.cpp LIBS easel_support LABELS engine golden)
easel_add_test(test_state_dict SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_state_dict.cpp LIBS easel_engine LABELS engine golden TORCH)
easel_add_test(test_key_maps SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_key_maps.cpp LIBS easel_engine LABELS engine golden TORCH)
easel_add_test(test_model_detect SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_model_detect.cpp LIBS easel_support nlohmann_json::nlohmann_json LABELS engine golden)
easel_add_test(test_host_buffer_pool SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_host_buffer_pool.cpp LIBS easel_support LABELS engine)
easel_add_test(test_hashes SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_hashes.cpp LIBS easel_support LABELS engine golden)
easel_add_test(test_checkpoint SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_checkpoint.cpp LIBS easel_engine LABELS engine TORCH)

# --- libFuzzer targets (clang, ASan + UBSan) ------------------------------------------------------
# The project may be built with GCC, so the fuzzers are compiled by a separate clang++ command. They
# are not part of `all`: the `fuzz_build` test builds them on demand (a CTest fixture), then each
# fuzzer runs a bounded number of inputs from the seed corpus in tests/data/io/fuzz/. New inputs go to
# the build tree, never into the source tree.
find_program(EASEL_CLANGXX NAMES clang++ clang++-16 clang++-15 clang++-14)
if(EASEL_CLANGXX AND (EASEL_FUZZ OR NOT DEFINED EASEL_FUZZ_DISABLE))
    set(_fuzz_dir ${CMAKE_BINARY_DIR}/fuzz)
    set(_fuzz_flags -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
        -I${PROJECT_SOURCE_DIR})
    set(_fuzz_common ${PROJECT_SOURCE_DIR}/engine/api/error.cpp ${PROJECT_SOURCE_DIR}/engine/io/mapped_file.cpp
        ${PROJECT_SOURCE_DIR}/engine/io/safetensors.cpp)
    set(_fuzzers "")
    foreach(fuzzer safetensors_header unpickler)
        set(_sources ${CMAKE_CURRENT_LIST_DIR}/fuzz/fuzz_${fuzzer}.cpp ${_fuzz_common})
        if(fuzzer STREQUAL "unpickler")
            list(APPEND _sources ${PROJECT_SOURCE_DIR}/engine/io/pickle.cpp)
        endif()
        add_custom_command(OUTPUT ${_fuzz_dir}/fuzz_${fuzzer}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${_fuzz_dir}
            COMMAND ${EASEL_CLANGXX} ${_fuzz_flags} ${_sources} -o ${_fuzz_dir}/fuzz_${fuzzer}
            DEPENDS ${_sources} VERBATIM)
        list(APPEND _fuzzers ${_fuzz_dir}/fuzz_${fuzzer})
    endforeach()
    add_custom_target(easel_fuzzers DEPENDS ${_fuzzers})
    if(EASEL_FUZZ)
        set_target_properties(easel_fuzzers PROPERTIES EXCLUDE_FROM_ALL FALSE)
    endif()
    add_test(NAME fuzz_build COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target easel_fuzzers)
    set_tests_properties(fuzz_build PROPERTIES FIXTURES_SETUP easel_fuzz LABELS "engine;fuzz" TIMEOUT 900)
    foreach(pair "safetensors_header:safetensors" "unpickler:pickle")
        string(REPLACE ":" ";" pair ${pair})
        list(GET pair 0 fuzzer)
        list(GET pair 1 corpus)
        add_test(NAME fuzz_${fuzzer}
            COMMAND /bin/sh -c "mkdir -p '${_fuzz_dir}/corpus_${fuzzer}' && exec '${_fuzz_dir}/fuzz_${fuzzer}' -runs=50000 -max_len=8192 -timeout=10 -rss_limit_mb=2048 -seed=1 '${_fuzz_dir}/corpus_${fuzzer}' '${PROJECT_SOURCE_DIR}/tests/data/io/fuzz/${corpus}'")
        set_tests_properties(fuzz_${fuzzer} PROPERTIES FIXTURES_REQUIRED easel_fuzz LABELS "engine;fuzz" TIMEOUT 600)
    endforeach()
endif()
