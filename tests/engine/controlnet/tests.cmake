easel_add_test(test_controlnet_unit_infotext SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_unit_infotext.cpp
    LIBS easel_support LABELS engine)
easel_add_test(test_controlnet_preprocessors SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_preprocessors.cpp
    LIBS easel_engine LABELS engine)
easel_add_test(test_controlnet_session SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_controlnet_session.cpp
    LIBS easel_engine easel_image_io nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_controlnet_generate SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_controlnet_generate.cpp
    LIBS easel_engine easel_image_io LABELS engine TORCH)
