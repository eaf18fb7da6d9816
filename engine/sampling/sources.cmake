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
