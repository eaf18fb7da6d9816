easel_add_test(test_infotext SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_infotext.cpp LIBS easel_support LABELS engine)
easel_add_test(test_txt2img_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_txt2img_golden.cpp
    LIBS easel_engine LABELS engine golden TORCH)
easel_add_test(test_generate SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_generate.cpp
    LIBS easel_engine easel_image_io LABELS engine TORCH)
easel_add_test(test_generate_tiling SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_generate_tiling.cpp
    LIBS easel_engine easel_image_io LABELS engine TORCH)
