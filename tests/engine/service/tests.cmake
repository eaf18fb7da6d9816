easel_add_test(test_output_naming SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_output_naming.cpp
    LIBS easel_service LABELS engine service)
easel_add_test(test_model_resolver SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_model_resolver.cpp
    LIBS easel_service easel_catalog LABELS engine service)
easel_add_test(test_generation_service SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_generation_service.cpp
    LIBS easel_service easel_catalog LABELS engine service)
