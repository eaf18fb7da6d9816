easel_add_test(test_lora_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_lora_golden.cpp
    LIBS easel_engine LABELS engine golden TORCH)
easel_add_test(test_lora_formats SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_lora_formats.cpp
    LIBS easel_engine LABELS engine TORCH)
easel_add_test(test_lora_manager SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_lora_manager.cpp
    LIBS easel_engine LABELS engine golden TORCH)
easel_add_test(test_lora_generate SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_lora_generate.cpp
    LIBS easel_engine easel_image_io LABELS engine golden TORCH)
