# models: UNet, VAE, ControlNet and their blocks (torch).
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/attention.cpp
    ${CMAKE_CURRENT_LIST_DIR}/circular_pad.cpp
    ${CMAKE_CURRENT_LIST_DIR}/controlnet.cpp
    ${CMAKE_CURRENT_LIST_DIR}/layers.cpp
    ${CMAKE_CURRENT_LIST_DIR}/tiling.cpp
    ${CMAKE_CURRENT_LIST_DIR}/timestep_embedding.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unet_blocks.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unet_encoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unet.cpp
    ${CMAKE_CURRENT_LIST_DIR}/unet_cuda_graph.cpp
    ${CMAKE_CURRENT_LIST_DIR}/vae_blocks.cpp
    ${CMAKE_CURRENT_LIST_DIR}/vae.cpp
    ${CMAKE_CURRENT_LIST_DIR}/weight_loading.cpp
)
list(APPEND EASEL_SUPPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/profile.cpp
    ${CMAKE_CURRENT_LIST_DIR}/fast_path.cpp
    ${CMAKE_CURRENT_LIST_DIR}/conv_padding.cpp)
