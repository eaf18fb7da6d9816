easel_add_test(test_controlnet_unit_infotext SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_unit_infotext.cpp
    LIBS easel_support LABELS engine)
easel_add_test(test_controlnet_preprocessors SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_preprocessors.cpp
    LIBS easel_engine LABELS engine)
