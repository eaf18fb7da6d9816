easel_add_test(test_runtime SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_runtime.cpp LIBS easel_engine LABELS engine)
easel_add_test(test_error SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_error.cpp LIBS easel_support LABELS engine)
easel_add_test(test_rng_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_rng_golden.cpp LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
