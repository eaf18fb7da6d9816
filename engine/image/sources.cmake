# image: pixel-level work. PNG codec is zlib-only (support); OpenCV-based code goes to the engine.
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/png_codec.cpp
)
