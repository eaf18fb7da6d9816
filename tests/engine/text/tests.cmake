# text: tokenizer, prompt syntax, chunking (torch-free) — golden data in tests/data/golden/text.
easel_add_test(test_tokenizer SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_tokenizer.cpp
    LIBS easel_support nlohmann_json::nlohmann_json LABELS engine golden)
easel_add_test(test_prompt_attention SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_prompt_attention.cpp
    LIBS easel_support nlohmann_json::nlohmann_json LABELS engine golden)
easel_add_test(test_extra_networks SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_extra_networks.cpp
    LIBS easel_support nlohmann_json::nlohmann_json LABELS engine golden)
easel_add_test(test_multicond SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_multicond.cpp
    LIBS easel_support nlohmann_json::nlohmann_json LABELS engine golden)
easel_add_test(test_prompt_schedules SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_prompt_schedules.cpp
    LIBS easel_support nlohmann_json::nlohmann_json LABELS engine golden)
easel_add_test(test_chunking SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_chunking.cpp
    LIBS easel_support nlohmann_json::nlohmann_json LABELS engine golden)

# text encoders, emphasis, textual inversion, conditioning (torch) — golden data in tests/data/golden/ref.
easel_add_test(test_clip_text_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_clip_text_golden.cpp
    LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_emphasis_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_emphasis_golden.cpp
    LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_conditioner_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_conditioner_golden.cpp
    LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
easel_add_test(test_embedding_golden SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_embedding_golden.cpp
    LIBS easel_engine nlohmann_json::nlohmann_json LABELS engine golden TORCH)
