/** Zoning schemes and their zone labels (zh/en), with the document each scheme comes from. */
import type { ZoneKind, ZoneScheme } from '../../lib/vocabulary.ts';

type Label = { labelZh: string; labelEn: string };

const grades = (what: string): Partial<Record<ZoneKind, Label>> => ({
  grade_special: { labelZh: '特级保护区', labelEn: `Special-grade ${what} zone` },
  grade_1: { labelZh: '一级保护区', labelEn: `Grade-1 ${what} zone` },
  grade_2: { labelZh: '二级保护区', labelEn: `Grade-2 ${what} zone` },
  grade_3: { labelZh: '三级保护区', labelEn: `Grade-3 ${what} zone` },
});

/** Each scheme's name, source and zone labels. */
export const zoneSchemeInfo: Readonly<Record<ZoneScheme, Label & { sourceZh: string; sourceEn: string; zoneLabels: Partial<Record<ZoneKind, Label>> }>> = {
  legacy: {
    labelZh: '自然保护区三区（核心区、缓冲区、实验区）',
    labelEn: 'Nature reserve: core, buffer, experimental',
    sourceZh: '《中华人民共和国自然保护区条例》',
    sourceEn: 'Regulations on Nature Reserves',
    zoneLabels: {
      core: { labelZh: '核心区', labelEn: 'Core zone' },
      buffer: { labelZh: '缓冲区', labelEn: 'Buffer zone' },
      experimental: { labelZh: '实验区', labelEn: 'Experimental zone' },
    },
  },
  new: {
    labelZh: '核心保护区、一般控制区',
    labelEn: 'Core protection zone, general-control zone',
    sourceZh: '《关于建立以国家公园为主体的自然保护地体系的指导意见》（2019）',
    sourceEn: 'Guiding Opinions on a protected-area system with national parks as the mainstay (2019)',
    zoneLabels: {
      core: { labelZh: '核心保护区', labelEn: 'Core protection zone' },
      general_control: { labelZh: '一般控制区', labelEn: 'General-control zone' },
    },
  },
  marine: {
    labelZh: '海洋特别保护区分区',
    labelEn: 'Marine special protected area zones',
    sourceZh: '《海洋特别保护区管理办法》（2010）',
    sourceEn: 'Measures for the Management of Marine Special Protected Areas (2010)',
    zoneLabels: {
      key_protection: { labelZh: '重点保护区', labelEn: 'Key protection zone' },
      resource_restoration: { labelZh: '生态与资源恢复区', labelEn: 'Ecological and resource restoration zone' },
      reserved: { labelZh: '预留区', labelEn: 'Reserved zone' },
      moderate_use: { labelZh: '适度利用区', labelEn: 'Moderate-use zone' },
    },
  },
  forest_park: {
    labelZh: '森林公园功能分区',
    labelEn: 'Forest park zones',
    sourceZh: '《国家级森林公园管理办法》及森林公园总体规划',
    sourceEn: 'Measures for National Forest Parks and the park master plan',
    zoneLabels: {
      core_scenic: { labelZh: '核心景观区', labelEn: 'Core scenic zone' },
      eco_conservation: { labelZh: '生态保育区', labelEn: 'Ecological conservation zone' },
      general_recreation: { labelZh: '一般游憩区', labelEn: 'General recreation zone' },
      management_service: { labelZh: '管理服务区', labelEn: 'Management and service zone' },
    },
  },
  wetland_park: {
    labelZh: '湿地公园功能分区',
    labelEn: 'Wetland park zones',
    sourceZh: '《国家湿地公园管理办法》',
    sourceEn: 'Measures for National Wetland Parks',
    zoneLabels: {
      wetland_conservation: { labelZh: '保育区', labelEn: 'Conservation zone' },
      restoration_rebuild: { labelZh: '恢复重建区', labelEn: 'Restoration zone' },
      rational_use: { labelZh: '合理利用区', labelEn: 'Rational-use zone' },
    },
  },
  geopark: {
    labelZh: '地质遗迹分级保护区',
    labelEn: 'Geological relic protection grades',
    sourceZh: '《地质遗迹保护管理规定》',
    sourceEn: 'Provisions on the Protection of Geological Relics',
    zoneLabels: grades('geological protection'),
  },
  scenic_area: {
    labelZh: '风景名胜区分级保护区',
    labelEn: 'Scenic area protection grades',
    sourceZh: '《风景名胜区条例》及风景名胜区总体规划',
    sourceEn: 'Regulations on Scenic and Historic Areas and the area master plan',
    zoneLabels: grades('scenic protection'),
  },
};
