# image: pixel-level work. PNG codec (libpng) and EXIF comments are plain C++ (support); image files
# are easel_image_io: through OpenCV imgcodecs in full builds, PNG only in the headless build (GPU
# machines where imgcodecs and its GDAL dependencies are absent); OpenCV image processing is engine.
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/exif_comment.cpp
    ${CMAKE_CURRENT_LIST_DIR}/png_codec.cpp
    ${CMAKE_CURRENT_LIST_DIR}/png_data_api.cpp  # engine/api/png_data.h
)
list(APPEND EASEL_IMAGE_IO_SOURCES ${CMAKE_CURRENT_LIST_DIR}/image_file.cpp)
if(EASEL_HEADLESS_BENCH)
    list(APPEND EASEL_IMAGE_IO_SOURCES ${CMAKE_CURRENT_LIST_DIR}/image_codecs_png_only.cpp)
else()
    list(APPEND EASEL_IMAGE_IO_SOURCES ${CMAKE_CURRENT_LIST_DIR}/image_codecs_opencv.cpp)
endif()
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/ops.cpp
)
# engine/api/image_files.h implemented here.
list(APPEND EASEL_IMAGE_IO_SOURCES ${CMAKE_CURRENT_LIST_DIR}/image_files_api.cpp)
