# pipeline: request -> images. Infotext is torch-free (support); the runner uses torch.
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/infotext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/infotext_request.cpp
)
