easel_add_test(test_infotext SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_infotext.cpp LIBS easel_support LABELS engine)
