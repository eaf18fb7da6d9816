# text: tokenizer, prompt syntax, chunking (torch-free) — golden data in tests/data/golden/text.
easel_add_test(test_tokenizer SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_tokenizer.cpp
    LIBS easel_support nlohmann_json::nlohmann_json LABELS engine golden)
