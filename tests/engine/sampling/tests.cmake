easel_add_test(test_schedules_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_schedules_golden.cpp LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_samplers_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_samplers_golden.cpp LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_denoiser SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_denoiser.cpp LIBS easel_engine LABELS engine TORCH)
