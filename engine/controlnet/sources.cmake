# controlnet: preprocessors (OpenCV), model loading and the per-step residual hook (torch). The unit
# infotext format is plain C++ (support) because pipeline infotext parsing uses it.
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/unit_infotext.cpp
)
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/control_model.cpp
    ${CMAKE_CURRENT_LIST_DIR}/control_session.cpp
    ${CMAKE_CURRENT_LIST_DIR}/neural_preprocessors.cpp
    ${CMAKE_CURRENT_LIST_DIR}/preprocessors.cpp
)
# Neural preprocessors need OpenCV DNN, which is optional: without it they report that the build
# lacks it. The engine target is created after the modules are listed, hence the deferred link.
set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/neural_preprocessors.cpp PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
if(TARGET opencv_dnn AND NOT EASEL_HEADLESS_BENCH)
    set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/neural_preprocessors.cpp APPEND PROPERTY COMPILE_DEFINITIONS
                 EASEL_WITH_OPENCV_DNN=1)
    cmake_language(DEFER CALL target_link_libraries easel_engine PRIVATE opencv_dnn)
    message(STATUS "Easel: ControlNet neural preprocessors through OpenCV DNN")
else()
    message(STATUS "Easel: OpenCV DNN not found; neural ControlNet preprocessors disabled")
endif()
# The public surface (engine/api/control_modes.h, preprocessors.h) implemented here.
list(APPEND EASEL_SUPPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/control_modes_api.cpp)
list(APPEND EASEL_ENGINE_SOURCES ${CMAKE_CURRENT_LIST_DIR}/preprocessors_api.cpp)
