# api: the public surface. Its value types' own code is here; the functions that forward into the
# engine (infotext, prompt info, samplers, control modes, preprocessors, image files, request JSON)
# are implemented in the folders they forward to (*_api.cpp), so api/ depends on nothing else in
# the engine and the folder graph stays acyclic (layering test).
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/error.cpp
    ${CMAKE_CURRENT_LIST_DIR}/logging.cpp
    ${CMAKE_CURRENT_LIST_DIR}/progress.cpp
    ${CMAKE_CURRENT_LIST_DIR}/system_info.cpp
    ${CMAKE_CURRENT_LIST_DIR}/version.cpp
)
