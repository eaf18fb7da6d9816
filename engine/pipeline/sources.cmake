# pipeline: request -> images. Infotext is torch-free (support); the runner uses torch.
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/infotext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/infotext_request.cpp
)
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/cfg_denoiser.cpp
    ${CMAKE_CURRENT_LIST_DIR}/checkpoint.cpp
    ${CMAKE_CURRENT_LIST_DIR}/generation_inputs.cpp
    ${CMAKE_CURRENT_LIST_DIR}/generator.cpp
    ${CMAKE_CURRENT_LIST_DIR}/latent_image.cpp
    ${CMAKE_CURRENT_LIST_DIR}/model_session.cpp
    ${CMAKE_CURRENT_LIST_DIR}/progress_tracker.cpp
    ${CMAKE_CURRENT_LIST_DIR}/request_validation.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sampling_pass.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prompt_conditioning.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sampler_bridge.cpp
)
# engine/api/infotext.h implemented here.
list(APPEND EASEL_SUPPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/infotext_api.cpp)
