easel_add_test(test_png_codec SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_png_codec.cpp LIBS easel_support LABELS engine image)
easel_add_test(test_image_file SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_image_file.cpp LIBS easel_image_io LABELS engine image)
