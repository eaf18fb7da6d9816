# image: pixel-level work. PNG codec and EXIF comments are zlib/plain C++ (support); file codecs go
# through OpenCV imgcodecs (easel_image_io); OpenCV image processing for the pipeline is engine.
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/exif_comment.cpp
    ${CMAKE_CURRENT_LIST_DIR}/png_codec.cpp
)
list(APPEND EASEL_IMAGE_IO_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/image_file.cpp
)
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/ops.cpp
)
