/** Messages of the printable 督办 notice page, Simplified Chinese. */
export const noticeZhCN = {
  'notice.loading': '正在加载督办文书…',
  'notice.loadError': '督办文书加载失败',
  'notice.print': '打印',
  'notice.back': '返回问题 {serial}',
  'notice.number': '编号',
  'notice.level': '督办级别',
  'notice.recipient': '送达',
  'notice.issuedAt': '生成时间',
  'notice.overdue': '逾期 {days} 天（期限 {date}）',
  'notice.generated': '本文书由联合执法门户根据问题记录自动生成，督办天数为门户默认（SUPERVISION_DAYS）；正式文书以盖章印发件为准。',
} as const;
