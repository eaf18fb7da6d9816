# sampling: list this folder's files here (see engine/CMakeLists.txt).
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/discrete_schedule.cpp
    ${CMAKE_CURRENT_LIST_DIR}/schedules.cpp
)
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/sampler_support.cpp
    ${CMAKE_CURRENT_LIST_DIR}/samplers_euler.cpp
    ${CMAKE_CURRENT_LIST_DIR}/samplers_dpmpp.cpp
)
list(APPEND EASEL_ENGINE_SOURCES ${CMAKE_CURRENT_LIST_DIR}/sampler_registry.cpp)
list(APPEND EASEL_ENGINE_SOURCES ${CMAKE_CURRENT_LIST_DIR}/denoiser.cpp ${CMAKE_CURRENT_LIST_DIR}/lcm_schedule.cpp)
list(APPEND EASEL_ENGINE_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/samplers_timestep.cpp
    ${CMAKE_CURRENT_LIST_DIR}/samplers_dpm_solver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sampler_restart.cpp
)
# The sampler and schedule names are torch-free: infotext parsing and the UI read them without libtorch.
list(APPEND EASEL_SUPPORT_SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/sampler_names.cpp
    ${CMAKE_CURRENT_LIST_DIR}/schedule_names.cpp
)
# engine/api/samplers.h (the one sampler/schedule name registry) implemented here.
list(APPEND EASEL_SUPPORT_SOURCES ${CMAKE_CURRENT_LIST_DIR}/samplers_api.cpp)
