<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>easel::ui::MainWindow</name>
    <message><source>Easel</source><translation>Easel</translation></message>
    <message><source>Generate an image or open one to start.</source><translation>生成一张图像或打开一张图像以开始。</translation></message>
    <message><source>Device: %1</source><translation>设备：%1</translation></message>
    <message><source>Ready</source><translation>就绪</translation></message>
    <message><source>&amp;File</source><translation>文件(&amp;F)</translation></message>
    <message><source>&amp;Quit</source><translation>退出(&amp;Q)</translation></message>
    <message><source>&amp;View</source><translation>视图(&amp;V)</translation></message>
    <message><source>&amp;Help</source><translation>帮助(&amp;H)</translation></message>
    <message><source>System &amp;Information</source><translation>系统信息(&amp;I)</translation></message>
    <message><source>&amp;About Easel</source><translation>关于 Easel(&amp;A)</translation></message>
    <message><source>About Easel</source><translation>关于 Easel</translation></message>
    <message><source>Easel %1 — a native studio for Stable Diffusion.</source><translation>Easel %1 —— 原生 Stable Diffusion 创作工作室。</translation></message>
    <message><source>Prompt</source><translation>提示词</translation></message>
    <message><source>Negative prompt</source><translation>反向提示词</translation></message>
    <message><source>Checkpoint, sampler and size controls arrive with the generation pipeline.</source><translation>模型、采样器和尺寸控件将随生成流程一起提供。</translation></message>
    <message><source>Parameters</source><translation>参数</translation></message>
    <message><source>Gallery</source><translation>图库</translation></message>
    <message><source>System Information</source><translation>系统信息</translation></message>
</context>
<context>
    <name>easel::app::EngineController</name>
    <message><source>System information</source><translation>系统信息</translation></message>
</context>
</TS>
