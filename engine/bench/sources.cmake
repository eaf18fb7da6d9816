# bench: benchmarks behind `easel-cli bench …` and synthetic fixtures (random full-size checkpoints,
# synthetic LoRA libraries) for load tests and benchmarks. Its own target, easel_bench, so the
# product libraries (easel_support, easel_engine, easel_catalog) carry none of it.
list(APPEND EASEL_BENCH_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/control_benchmark.cpp
    ${CMAKE_CURRENT_LIST_DIR}/io_benchmark.cpp
    ${CMAKE_CURRENT_LIST_DIR}/library_bench.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lora_benchmark.cpp
    ${CMAKE_CURRENT_LIST_DIR}/model_benchmark.cpp
    ${CMAKE_CURRENT_LIST_DIR}/model_smoke.cpp
    ${CMAKE_CURRENT_LIST_DIR}/random_model.cpp
    ${CMAKE_CURRENT_LIST_DIR}/synthetic_library.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unet_flops.cpp
)
