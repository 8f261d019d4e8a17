import type { Messages } from './en';

/** 简体中文. Typed as Messages, so a key missing here (or only here) fails the type check. */
export const zhCN: Messages = {
  app: { title: '打包见证' },
  language: { label: '语言' },
  recording: {
    on: '录制中',
    off: '未录制',
  },
  banner: {
    title: '未在录制',
    connecting: '正在连接工作站…',
    unreachable: '无法连接工作站',
    stale: '工作站没有响应',
    cameraNotRecording: '摄像头未在录制',
    stationError: '工作站报告错误',
  },
  preview: {
    alt: '实时画面',
    unavailable: '无实时画面，正在重试…',
  },
  cameraState: {
    starting: '启动中',
    recording: '录制中',
    stalled: '画面卡住',
    restarting: '重启中',
    stopped: '已停止',
  },
  stats: {
    station: '工作站',
    camera: '摄像头',
    restarts: '重启次数',
    lastError: '最近错误',
    lastGap: '最近中断',
    segments: '视频片段',
    freeDisk: '剩余磁盘',
    none: '无',
    gapOngoing: '自 {{start}} 起（仍在中断）',
    lastKnown: '最后已知状态（{{time}}）',
  },
  auth: {
    title: '请使用工作站打印的链接打开',
    detail: '此页面需要工作站启动时打印的地址（以 READY 开头的那一行）。',
  },
};
