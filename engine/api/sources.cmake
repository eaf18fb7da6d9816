list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/error.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logging.cpp
    ${CMAKE_CURRENT_LIST_DIR}/progress.cpp
    ${CMAKE_CURRENT_LIST_DIR}/request.cpp
    ${CMAKE_CURRENT_LIST_DIR}/system_info.cpp
    ${CMAKE_CURRENT_LIST_DIR}/version.cpp
)
# What the widgets may call (DESIGN.md: ui/ includes engine/api only): thin forwarders to the
# internals, each in the library that holds what it forwards to.
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/control_modes.cpp
    ${CMAKE_CURRENT_LIST_DIR}/infotext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/prompt_info.cpp
    ${CMAKE_CURRENT_LIST_DIR}/samplers.cpp
)
list(APPEND EASEL_IMAGE_IO_SOURCES ${CMAKE_CURRENT_LIST_DIR}/image_files.cpp)
list(APPEND EASEL_ENGINE_SOURCES ${CMAKE_CURRENT_LIST_DIR}/preprocessors.cpp)
