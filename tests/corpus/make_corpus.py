#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Build the shuanggao test corpus: quarterly return workbooks made the way
zone clerks make them, and the findings each must produce (expected.toml).

    pip install openpyxl msoffcrypto-tool      # LibreOffice (soffice) must be on PATH
    python3 tests/corpus/make_corpus.py        # writes tests/corpus/files/, expected.toml, README.md
    python3 tests/corpus/make_corpus.py --no-verify

Every file is meant to be checked ALONE as period 2025Q3 (the first quarter).
After writing, the script re-reads every file with an independent reference
reading of the rules (bottom of this file) and fails if it disagrees with the
expectations. All content is synthetic (示例数据).

Deterministic: same content on every run; openpyxl-written files and zip
containers are byte-identical across runs; files saved by LibreOffice (.xls,
.ods, formula .xlsx) have the same cells but LibreOffice may vary a few bytes.
"""

import argparse
import inspect
import io
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
import zipfile
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# ---------------------------------------------------------------------------
# Synthetic content pools (示例数据). Names of projects, enterprises and
# platforms are invented; only registry names (zones, universities) are real.
# ---------------------------------------------------------------------------

# zone -> content. `unis` lists ONLY the zone's confirmed pairs from
# inputs/config/registry.toml (so that no I03 info fires), except for
# 南通高新区, which has no confirmed pair (I03 is then never raised).
ZONES = {
    "徐州高新区": dict(
        unis=["中国矿业大学", "江苏师范大学", "徐州工程学院"],
        unit="徐州高新技术产业开发区管理委员会科技局",
        phone="0516-87761234",
        industry="安全技术与装备",
        platform="徐州高新区安全科技协同创新中心",
        talent="李明远（中国矿业大学教授）",
        fund="徐州高新区双高协同成果转化基金",
        fields=["安全技术装备", "工程机械", "智能制造", "新能源", "节能环保"],
        enterprises=[
            "徐州重型机械有限公司", "徐州恒安矿山装备有限公司", "徐州安科智能技术有限公司",
            "江苏煤安监测科技有限公司", "徐州华工液压件有限公司", "徐州新源储能科技有限公司",
            "徐州光合新能源有限公司", "江苏巡安机器人有限公司", "徐州中矿环境工程有限公司",
        ],
        projects=[
            "矿山智能化综采装备关键技术研发", "井下无人驾驶运输系统研制", "煤矿安全监测物联网平台开发",
            "大吨位起重机智能控制系统研发", "工程机械液压件可靠性提升", "矿用防爆锂电池管理系统研制",
            "退役光伏组件回收再利用技术", "变电站智能巡检机器人研制", "应急救援装备轻量化材料研究",
            "矿井水深度处理与资源化利用", "基于数字孪生的装备健康管理系统", "氢能重卡动力系统集成",
        ],
        platforms=[
            "矿山安全技术装备中试平台", "安全应急装备创新联合体", "智能工程机械工程技术研究中心",
            "高新区—江苏师大概念验证中心", "新能源材料重点实验室",
        ],
    ),
    "镇江高新区": dict(
        unis=["江苏科技大学", "江苏大学", "江苏理工学院"],
        unit="镇江高新区管委会科技创新局",
        phone="0511-85581234",
        industry="船舶与海洋工程装备",
        platform="镇江船舶海工装备协同创新中心",
        talent="周海涛（江苏科技大学教授）",
        fund="镇江高新区科技成果转化引导基金",
        fields=["船舶海工", "高端装备", "新材料", "智能电气"],
        enterprises=[
            "镇江船舶电器有限责任公司", "镇江海工动力装备有限公司", "江苏华阳新材料科技有限公司",
            "镇江智能电气设备有限公司", "江苏润扬重工机械有限公司", "镇江高新流体机械有限公司",
            "江苏金山碳纤维复合材料有限公司", "镇江东润电机有限公司",
        ],
        projects=[
            "船用低速柴油机智能运维系统研发", "LNG燃料船舶供气系统关键部件研制", "海上风电安装平台桩腿制造工艺",
            "高效节能离心泵水力模型优化", "船舶电力推进变频器研制", "碳纤维复合材料船体构件成型技术",
            "智能配电柜数字化检测系统", "船舶焊接机器人视觉引导技术", "永磁同步电机高效控制算法",
            "深海作业装备耐压壳体材料研究", "轨道交通齿轮箱减振降噪技术",
        ],
        platforms=[
            "船舶海工装备中试平台", "高效流体机械工程技术研究中心", "镇江船舶智能制造创新联合体",
            "先进复合材料重点实验室", "智能电气产教融合平台",
        ],
    ),
    "扬州高新区": dict(
        unis=["扬州大学", "南京农业大学"],
        unit="扬州高新区管委会科技局",
        phone="0514-87991234",
        industry="数控成形机床",
        platform="扬州数控成形机床创新中心",
        talent="王建华（扬州大学教授）",
        fund="扬州高新区双高协同发展基金",
        fields=["数控机床", "生物医药", "智慧农业", "食品加工"],
        enterprises=[
            "扬州锻压机床有限公司", "扬州精工数控装备有限公司", "江苏扬农生物科技有限公司",
            "扬州润禾农业装备有限公司", "扬州康源药业有限公司", "扬州绿野食品有限公司",
            "江苏维扬智能装备有限公司", "扬州天禾种业有限公司",
        ],
        projects=[
            "伺服压力机智能控制系统研发", "大型数控折弯机精度补偿技术", "动物疫苗新型佐剂研制",
            "设施农业环境智能调控系统", "小麦赤霉病生物防控制剂开发", "功能性食品益生菌发酵工艺",
            "智能植保无人机变量喷施系统", "锻压成形数字孪生产线建设", "水产养殖尾水生态处理技术",
            "农产品冷链品质监测装置研制",
        ],
        platforms=[
            "数控成形装备中试平台", "智慧农业装备工程技术研究中心", "扬州高端装备创新联合体",
            "生物兽药概念验证中心",
        ],
    ),
    "连云港高新区": dict(
        unis=["南京工业大学", "江苏海洋大学"],
        unit="连云港高新区管委会科技创新局",
        phone="0518-85221234",
        industry="新材料与新医药",
        platform="连云港新材料产业创新中心",
        talent="陈志强（南京工业大学教授）",
        fund="连云港高新区科创成果转化基金",
        fields=["新材料", "生物医药", "海洋装备", "化工"],
        enterprises=[
            "连云港碳纤维科技有限公司", "江苏康瑞医药科技有限公司", "连云港海工装备有限公司",
            "连云港石化新材料有限公司", "江苏海澜生物科技有限公司", "连云港硅材料有限公司",
            "连云港港口机械有限公司", "江苏海州精细化工有限公司",
        ],
        projects=[
            "高性能碳纤维原丝制备技术", "抗肿瘤创新药中试工艺开发", "海洋牧场智能监测浮标研制",
            "聚酯新材料连续化生产工艺", "海藻多糖功能材料开发", "高纯石英砂提纯技术",
            "港口门机远程智能控制系统", "化工园区安全风险智能预警平台", "生物基可降解材料改性研究",
            "海水淡化膜组件国产化研制",
        ],
        platforms=[
            "新材料中试平台", "海洋生物资源工程技术研究中心", "连云港新医药创新联合体",
            "先进膜材料重点实验室", "海洋装备新型研发机构",
        ],
    ),
    "无锡高新区": dict(
        unis=["江南大学"],
        unit="无锡高新区（新吴区）科技局",
        phone="0510-85231234",
        industry="集成电路与物联网",
        platform="江南大学—无锡高新区协同创新中心",
        talent="刘晓东（江南大学教授）",
        fund="无锡高新区双高协同科创基金",
        fields=["集成电路", "物联网", "食品生物", "生物医药"],
        enterprises=[
            "无锡芯源微电子有限公司", "无锡感知物联科技有限公司", "无锡新吴食品科技有限公司",
            "无锡华芯封装测试有限公司", "无锡康泰生物制药有限公司", "无锡智联传感技术有限公司",
            "无锡天元精密机械有限公司",
        ],
        projects=[
            "车规级功率芯片封装可靠性研究", "低功耗物联网通信模组研发", "益生菌功能食品开发与产业化",
            "MEMS压力传感器晶圆级测试技术", "生物发酵过程智能控制系统", "工业互联网边缘计算网关研制",
            "食品安全快速检测试剂盒开发", "第三代半导体外延片缺陷检测", "智能制造产线视觉检测系统",
        ],
        platforms=[
            "集成电路封测中试平台", "食品生物技术重点实验室", "无锡物联网创新联合体",
            "智能传感概念验证中心",
        ],
    ),
    "江阴高新区": dict(
        unis=["东南大学"],
        unit="江阴高新区管委会科技局",
        phone="0510-86861234",
        industry="高端装备与新材料",
        platform="东南大学江阴协同创新中心",
        talent="赵立新（东南大学教授）",
        fund="江阴高新区双高协同专项基金",
        fields=["高端装备", "新材料", "集成电路", "新能源"],
        enterprises=[
            "江阴兴澄特钢材料有限公司", "江阴海达橡塑有限公司", "江阴长电先进封装有限公司",
            "江阴远景能源科技有限公司", "江阴法尔胜金属制品有限公司", "江阴精密轴承有限公司",
            "江阴新程智能装备有限公司",
        ],
        projects=[
            "高强度桥梁缆索钢丝研制", "风电主轴轴承寿命预测技术", "先进封装热管理材料开发",
            "橡胶密封件耐老化配方优化", "海上风电变流器可靠性提升", "特种钢连铸过程智能控制",
            "光伏逆变器宽禁带器件应用", "智能仓储物流机器人研制",
        ],
        platforms=[
            "先进金属材料中试平台", "东南大学江阴新型研发机构", "江阴高端装备创新联合体",
        ],
    ),
    "常州高新区": dict(
        unis=["常州大学"],
        unit="常州国家高新区科技局",
        phone="0519-85101234",
        industry="新能源与新材料",
        platform="常州大学—常州高新区协同创新中心",
        talent="孙国庆（常州大学教授）",
        fund="常州高新区双高协同成果转化基金",
        fields=["新能源", "新材料", "智能制造", "石油化工"],
        enterprises=[
            "常州天合储能科技有限公司", "常州新北碳材料有限公司", "常州精研智能装备有限公司",
            "常州华源化工有限公司", "常州星辰动力电池有限公司", "常州恒通光伏材料有限公司",
            "常州龙城机器人有限公司",
        ],
        projects=[
            "磷酸铁锂正极材料改性技术", "石墨烯导热膜规模化制备", "动力电池智能化成分容系统",
            "光伏背板高耐候涂层研发", "化工过程安全智能监测系统", "工业机器人精密减速器研制",
            "储能电站热失控预警技术", "高性能环氧树脂复合材料开发",
        ],
        platforms=[
            "新能源材料中试平台", "常州储能创新联合体", "石油化工过程强化工程技术研究中心",
            "常州大学产教融合平台",
        ],
    ),
    "盐城环保高新区": dict(
        unis=["南京大学", "盐城工学院", "盐城师范学院"],
        unit="盐城环保高新区管委会科技局",
        phone="0515-88591234",
        industry="环保装备与绿色低碳",
        platform="盐城环保科技城协同创新中心",
        talent="黄振宇（南京大学教授）",
        fund="盐城环保高新区绿色低碳成果转化基金",
        fields=["环保装备", "绿色低碳", "水处理", "固废处置"],
        enterprises=[
            "盐城清源环保装备有限公司", "江苏绿源水务科技有限公司", "盐城蓝天大气治理有限公司",
            "盐城固废资源化利用有限公司", "江苏碳谷低碳技术有限公司", "盐城膜科技有限公司",
            "盐城环科检测有限公司",
        ],
        projects=[
            "工业废水深度脱氮除磷技术", "VOCs催化燃烧装备研制", "飞灰无害化资源化处置工艺",
            "污泥低温干化成套装备开发", "碳排放在线监测系统研发", "高通量陶瓷膜制备技术",
            "餐厨垃圾厌氧发酵产沼工艺优化", "土壤重金属原位修复药剂研制",
        ],
        platforms=[
            "环保装备中试平台", "南京大学盐城环保技术与工程研究院", "盐城绿色低碳创新联合体",
            "环保产业学院产教融合平台",
        ],
    ),
    "宿迁高新区": dict(
        unis=["南京工程学院"],
        unit="宿迁高新区管委会科技局",
        phone="0527-84301234",
        industry="智能制造与新材料",
        platform="南京工程学院—宿迁高新区双高协同创新中心",
        talent="吴向阳（南京工程学院教授）",
        fund="宿迁高新区科技成果转化基金",
        fields=["智能制造", "新材料", "电子信息", "新能源"],
        enterprises=[
            "宿迁智造装备有限公司", "宿迁新材科技有限公司", "宿迁华晟电子有限公司",
            "宿迁光能科技有限公司", "宿迁恒力精密机械有限公司", "江苏骆马湖智能科技有限公司",
        ],
        projects=[
            "功能性薄膜涂布工艺优化", "智能配电终端研制", "光伏电池片激光划片设备研发",
            "精密冲压模具寿命提升技术", "电子元器件自动化检测线开发", "新能源汽车线束轻量化设计",
            "工业机器人离线编程系统",
        ],
        platforms=[
            "智能制造中试平台", "宿迁新材料工程技术研究中心", "宿迁智能装备创新联合体",
        ],
    ),
    "南通高新区": dict(
        unis=["南通大学", "南京大学"],
        unit="南通高新区管委会科技局",
        phone="0513-86551234",
        industry="医疗器械与高端纺织",
        platform="南通高新区协同创新中心",
        talent="顾建平（南通大学教授）",
        fund="南通高新区科创基金",
        fields=["医疗器械", "高端纺织", "电子信息"],
        enterprises=[
            "南通康复器械有限公司", "南通高纺新材料有限公司", "南通通富电子有限公司",
            "南通医工智能科技有限公司", "南通纺织科技有限公司", "南通海晨生物医药有限公司",
        ],
        projects=[
            "神经修复导管医疗器械研制", "功能性纺织纤维开发", "康复外骨骼机器人研制",
            "医用敷料抗菌整理技术", "高密度封装基板工艺研究", "智能可穿戴监护设备开发",
        ],
        platforms=[
            "医疗器械中试平台", "高端纺织工程技术研究中心", "南通生物医用材料重点实验室",
        ],
    ),
}

# only for the I01 case: a real place that is not a pilot zone
ZONES["苏州工业园区"] = dict(
    unis=["苏州大学"],
    unit="苏州工业园区科技创新委员会",
    phone="0512-66681234",
    industry="生物医药与纳米技术",
    platform="苏州大学—园区协同创新中心",
    talent="钱永明（苏州大学教授）",
    fund="园区科技成果转化基金",
    fields=["生物医药", "纳米技术", "人工智能"],
    enterprises=["苏州纳微新材料有限公司", "苏州园区生物制药有限公司", "苏州智元人工智能有限公司",
                 "苏州金鸡湖医疗器械有限公司"],
    projects=["纳米药物递送载体开发", "抗体药物连续生产工艺", "工业视觉大模型研发", "微流控诊断芯片研制",
              "纳米涂层防腐材料开发", "手术机器人力反馈系统"],
    platforms=["纳米技术中试平台", "生物医药概念验证中心", "人工智能新型研发机构"],
)

SURNAMES = ["张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "朱", "马", "胡"]
GIVEN = ["伟", "芳", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "晓东", "建国", "丽娟"]


# ---------------------------------------------------------------------------
# Paths, constants
# ---------------------------------------------------------------------------

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
EXPECTED = HERE / "expected.toml"
FIXED_TIME = (2025, 10, 1, 0, 0, 0)
FIXED_ISO = "2025-10-01T00:00:00Z"

Q3_START = date(2025, 7, 1)
Q3_DAYS = 92  # 2025-07-01 .. 2025-09-30

PROJ_COLS = ["序号", "项目名称", "合作高校", "合作企业", "产业领域", "项目类别", "立项日期",
             "合同金额(万元)", "累计到位经费(万元)", "项目状态", "标杆项目"]
PLAT_COLS = ["序号", "平台名称", "平台类型", "平台级别", "共建高校", "建成日期", "面积(平方米)", "累计投入(万元)"]
IND_COLS = ["指标代码", "指标名称", "计量单位", "本季度新增", "累计值", "备注"]
EXPL_COLS = ["规则编号", "位置", "说明"]
BASIC_LABELS = ["高新区名称", "报告期", "填报单位", "填报人", "联系电话", "填报日期", "产业方向",
                "依托科创平台", "领军人才", "转化基金名称", "转化基金规模(万元)"]

INDICATORS = [  # code, name, unit, kind
    ("SG01", "合作研发项目", "个", "flow"),
    ("SG02", "共建产业创新平台", "个", "flow"),
    ("SG03", "常驻园区师生", "人", "stock"),
    ("SG04", "服务企业", "家", "flow"),
    ("SG05", "合作经费投入", "万元", "flow"),
    ("SG06", "联合培养研究生", "人", "flow"),
    ("SG07", "双聘高层次人才", "人", "flow"),
    ("SG08", "互派科技副总和产业教授", "人", "flow"),
    ("SG09", "发布企业技术需求", "项", "flow"),
    ("SG10", "发布高校成果清单", "项", "flow"),
    ("SG11", "专利转让许可", "件", "flow"),
    ("SG12", "成果转化合同金额", "万元", "flow"),
    ("SG13", "成果转化合同到账金额", "万元", "flow"),
    ("SG14", "培育科技型中小企业", "家", "flow"),
    ("SG15", "培育高新技术企业", "家", "flow"),
    ("SG16", "组建创新联合体", "个", "flow"),
]
IND_KIND = {c: k for c, _, _, k in INDICATORS}

SHEET_CANON = {"basic": "基本信息", "ind": "核心指标", "proj": "项目清单", "plat": "平台清单",
               "expl": "情况说明"}


class Styled:
    """A cell value written with an explicit number format."""

    def __init__(self, value, fmt):
        self.value = value
        self.fmt = fmt


def q3_date(rng):
    return Q3_START + timedelta(days=rng.randrange(Q3_DAYS))


def platform_type_for(name):
    for key, typ in [("中试", "中试平台"), ("创新联合体", "创新联合体"), ("工程技术研究中心", "工程技术研究中心"),
                     ("重点实验室", "重点实验室"), ("概念验证", "概念验证中心"), ("产教融合", "产教融合平台"),
                     ("新型研发机构", "新型研发机构"), ("研究院", "新型研发机构")]:
        if key in name:
            return typ
    return "其他"


# ---------------------------------------------------------------------------
# The return model: what a clerk types, cell by cell
# ---------------------------------------------------------------------------

class Return:
    """One return. Values are stored exactly as they will be written.

    `num` keeps the numeric meaning of amounts that are written as text, so
    that the cross-sheet ties (SG01, SG05 ...) can be computed."""

    def __init__(self, zone, seed, n_proj, n_plat, written_zone=None):
        rng = random.Random(seed)
        self.rng = rng
        self.zone = zone
        z = ZONES[zone]
        self.z = z
        person = rng.choice(SURNAMES) + rng.choice(GIVEN)
        fill = date(2025, 10, rng.randint(8, 14))
        self.basic = {
            "高新区名称": written_zone or zone,
            "报告期": "2025Q3",
            "填报单位": z["unit"],
            "填报人": person,
            "联系电话": z["phone"],
            "填报日期": fill,
            "产业方向": z["industry"],
            "依托科创平台": z["platform"],
            "领军人才": z["talent"],
            "转化基金名称": z["fund"],
            "转化基金规模(万元)": rng.randint(10, 50) * 1000,
        }
        self.title = f"{zone}双高协同试点季度报表（2025年第三季度，示例数据）"
        names = rng.sample(z["projects"], n_proj)
        self.projects = []
        for i, name in enumerate(names):
            contract = rng.randint(10, 600) * 5
            if rng.random() < 0.3:
                contract += 2.5
            ratio = rng.choice([0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0])
            funded = round(contract * ratio, 1)
            cat = "标志性项目" if i == 0 else rng.choice(["重大项目", "一般项目", "一般项目"])
            status = rng.choice(["在研", "在研", "在研", "已结题", "已转化"])
            bench = "是" if cat == "标志性项目" else rng.choice(["否", "否", None])
            self.projects.append({
                "序号": i + 1,
                "项目名称": name,
                "合作高校": rng.choice(z["unis"]),
                "合作企业": rng.choice(z["enterprises"]),
                "产业领域": rng.choice(z["fields"]),
                "项目类别": cat,
                "立项日期": q3_date(rng),
                "合同金额(万元)": contract,
                "累计到位经费(万元)": funded,
                "项目状态": status,
                "标杆项目": bench,
            })
        pnames = rng.sample(z["platforms"], n_plat) if n_plat else []
        self.platforms = []
        for i, name in enumerate(pnames):
            self.platforms.append({
                "序号": i + 1,
                "平台名称": name,
                "平台类型": platform_type_for(name),
                "平台级别": rng.choice(["省级", "市级", "市级", "区级"]),
                "共建高校": rng.choice(z["unis"]),
                "建成日期": q3_date(rng),
                "面积(平方米)": rng.randint(3, 60) * 100,
                "累计投入(万元)": rng.randint(20, 800) * 5,
            })
        # numeric meaning of text-written amounts: (list, index, column) -> number
        self.num = {}
        self.explanations = None
        self.indicators = None
        self.sg16_extra = rng.randint(0, 1)
        self.ind_random = {
            "SG03": rng.randint(40, 200), "SG04": rng.randint(15, 60), "SG06": rng.randint(10, 60),
            "SG07": rng.randint(3, 20), "SG08": rng.randint(5, 25), "SG09": rng.randint(20, 90),
            "SG10": rng.randint(20, 120), "SG11": rng.randint(2, 30), "SG12": rng.randint(100, 1200) * 5,
            "SG14": rng.randint(3, 20), "SG15": rng.randint(1, 10),
        }
        self.sg05_margin = rng.randint(20, 600) * 5
        self.sg13_ratio = rng.choice([0.3, 0.45, 0.6, 0.75, 0.9])

    # numeric value of a project/platform amount, whatever was written
    def amount(self, kind, i, col):
        if (kind, i, col) in self.num:
            return self.num[(kind, i, col)]
        v = (self.projects if kind == "proj" else self.platforms)[i][col]
        return float(v)

    def finalize(self):
        """Compute the 核心指标 rows so that every tie holds."""
        funded = sum(self.amount("proj", i, "累计到位经费(万元)") for i in range(len(self.projects)))
        sg05 = round(funded + self.sg05_margin, 1)
        if sg05 == int(sg05):
            sg05 = int(sg05)
        sg12 = self.ind_random["SG12"]
        sg13 = round(sg12 * self.sg13_ratio, 1)
        if sg13 == int(sg13):
            sg13 = int(sg13)
        unions = sum(1 for p in self.platforms if p["平台类型"] == "创新联合体")
        values = dict(self.ind_random)
        values.update({"SG01": len(self.projects), "SG02": len(self.platforms), "SG05": sg05,
                       "SG13": sg13, "SG16": unions + self.sg16_extra})
        self.indicators = []
        for code, name, unit, kind in INDICATORS:
            v = values[code]
            self.indicators.append({
                "指标代码": code, "指标名称": name, "计量单位": unit,
                "本季度新增": v if kind == "flow" else None,
                "累计值": v,
                "备注": "时点数" if kind == "stock" else None,
            })
        return self

    def ind(self, code):
        for row in self.indicators:
            if row["指标代码"] == code:
                return row
        raise KeyError(code)

    def set_ind(self, code, new=None, cum=None, both=None):
        row = self.ind(code)
        if both is not None:
            new = cum = both
        if new is not None:
            row["本季度新增"] = new
        if cum is not None:
            row["累计值"] = cum


# ---------------------------------------------------------------------------
# Layout: how a clerk arranges the sheets
# ---------------------------------------------------------------------------

class TableOpts:
    def __init__(self, **kw):
        self.pre_rows = kw.get("pre_rows", [])        # list of (values, merge_across)
        self.header_text = kw.get("header_text", {})  # canonical -> written header
        self.order = kw.get("order")                  # list of canonical/extra column ids
        self.extras = kw.get("extras", {})            # extra id -> (header, fn(i,row))
        self.drop = kw.get("drop", [])                # canonical columns left out
        self.footer = kw.get("footer", [])            # rows written after the data
        self.data_merges = kw.get("data_merges", [])  # (col id, first row idx, last row idx)
        self.widths = kw.get("widths", True)


class BasicOpts:
    def __init__(self, **kw):
        self.title = kw.get("title", True)            # write a title row
        self.title_merge = kw.get("title_merge", False)
        self.pre_rows = kw.get("pre_rows", [])
        self.label_text = kw.get("label_text", {})
        self.merge2 = kw.get("merge2", [])            # labels whose label and value span 2 rows
        self.drop = kw.get("drop", [])
        self.footer = kw.get("footer", [])


class Layout:
    def __init__(self, **kw):
        self.names = dict(SHEET_CANON)
        self.names.update(kw.get("names", {}))
        self.order = kw.get("order", ["basic", "ind", "proj", "plat", "expl"])
        self.skip = kw.get("skip", [])
        self.basic = kw.get("basic", BasicOpts())
        self.tables = {"ind": TableOpts(), "proj": TableOpts(), "plat": TableOpts(), "expl": TableOpts()}
        self.tables.update(kw.get("tables", {}))
        self.extra_sheets = kw.get("extra_sheets", [])   # (position, name, rows)


def put(ws, r, c, v):
    cell = ws.cell(row=r, column=c)
    if isinstance(v, Styled):
        cell.value = v.value
        cell.number_format = v.fmt
    elif isinstance(v, (date, datetime)):
        cell.value = v
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = v
    if isinstance(cell.value, str) and ("\n" in cell.value):
        cell.alignment = Alignment(wrap_text=True)
    return cell


def write_table(ws, key, canon, rows, t, pos):
    order = list(t.order) if t.order else [c for c in canon if c not in t.drop]
    width = len(order)
    r = 1
    for values, merge in t.pre_rows:
        for j, v in enumerate(values):
            put(ws, r, j + 1, v)
        if merge:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        r += 1
    header_row = r
    for j, colid in enumerate(order):
        text = t.extras[colid][0] if colid in t.extras else t.header_text.get(colid, colid)
        put(ws, r, j + 1, text).font = Font(bold=True)
    pos[(key, "header")] = header_row
    r += 1
    for i, row in enumerate(rows):
        for j, colid in enumerate(order):
            v = t.extras[colid][1](i, row) if colid in t.extras else row.get(colid)
            if v is not None:
                put(ws, r, j + 1, v)
            pos[(key, i, colid)] = f"{get_column_letter(j + 1)}{r}"
        r += 1
    for colid, i0, i1 in t.data_merges:
        j = order.index(colid) + 1
        ws.merge_cells(start_row=header_row + 1 + i0, start_column=j, end_row=header_row + 1 + i1, end_column=j)
    for values in t.footer:
        if values is not None:
            for j, v in enumerate(values):
                put(ws, r, j + 1, v)
        r += 1
    if t.widths:
        for j, colid in enumerate(order):
            ws.column_dimensions[get_column_letter(j + 1)].width = 14 if j else 8


def write_basic(ws, ret, b, pos):
    r = 1
    if b.title:
        put(ws, r, 1, ret.title).font = Font(bold=True, size=14)
        if b.title_merge:
            ws.merge_cells("A1:B1")
        r += 1
    for values in b.pre_rows:
        for j, v in enumerate(values):
            put(ws, r, j + 1, v)
        r += 1
    for label in BASIC_LABELS:
        if label in b.drop:
            continue
        put(ws, r, 1, b.label_text.get(label, label))
        v = ret.basic.get(label)
        if v is not None:
            put(ws, r, 2, v)
        pos[("basic", label)] = f"B{r}"
        if label in b.merge2:
            ws.merge_cells(start_row=r, start_column=1, end_row=r + 1, end_column=1)
            ws.merge_cells(start_row=r, start_column=2, end_row=r + 1, end_column=2)
            r += 2
        else:
            r += 1
    for values in b.footer:
        if values is not None:
            for j, v in enumerate(values):
                put(ws, r, j + 1, v)
        r += 1
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 40


def write_return(path, ret, L):
    """Write `ret` with layout `L` to `path` (xlsx). Returns (pos, names)."""
    wb = Workbook()
    wb.remove(wb.active)
    pos = {}
    sheets = []
    for key in L.order:
        if key in L.skip:
            continue
        if key == "expl" and ret.explanations is None:
            continue
        sheets.append(key)
    extra = sorted(L.extra_sheets, key=lambda e: e[0])
    seq = list(sheets)
    for p, name, rows in extra:
        seq.insert(min(p, len(seq)), ("extra", name, rows))
    for item in seq:
        if isinstance(item, tuple):
            _, name, rows = item
            ws = wb.create_sheet(name)
            for r, values in enumerate(rows, start=1):
                for j, v in enumerate(values):
                    put(ws, r, j + 1, v)
            continue
        key = item
        ws = wb.create_sheet(L.names[key])
        if key == "basic":
            write_basic(ws, ret, L.basic, pos)
        elif key == "ind":
            write_table(ws, key, IND_COLS, ret.indicators, L.tables["ind"], pos)
        elif key == "proj":
            write_table(ws, key, PROJ_COLS, ret.projects, L.tables["proj"], pos)
        elif key == "plat":
            write_table(ws, key, PLAT_COLS, ret.platforms, L.tables["plat"], pos)
        elif key == "expl":
            write_table(ws, key, EXPL_COLS, ret.explanations, L.tables["expl"], pos)
    wb.properties.creator = "shuanggao test corpus"
    wb.properties.title = "示例数据"
    wb.properties.created = datetime(2025, 10, 1)
    wb.properties.modified = datetime(2025, 10, 1)
    wb.save(path)
    normalize_zip(path)
    return Positions(pos, L.names, ret)


class Positions:
    def __init__(self, pos, names, ret):
        self.pos = pos
        self.names = names
        self.ret = ret

    def basic(self, label):
        return self.pos[("basic", label)]

    def ind(self, code, col):
        for i, row in enumerate(self.ret.indicators):
            if row["指标代码"] == code:
                return self.pos[("ind", i, col)]
        raise KeyError(code)

    def proj(self, i, col):
        return self.pos[("proj", i, col)]

    def plat(self, i, col):
        return self.pos[("plat", i, col)]

    def header_row(self, key):
        return self.pos[(key, "header")]


# ---------------------------------------------------------------------------
# Byte-level helpers
# ---------------------------------------------------------------------------

def normalize_zip(path):
    """Rewrite a zip with fixed timestamps and fixed document dates, so that a
    rerun produces the same bytes (LibreOffice output: same content, best effort)."""
    path = Path(path)
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for info, data in items:
            name = info.filename
            if name in ("docProps/core.xml", "meta.xml"):
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)", r"\g<1>" + FIXED_ISO + r"\3", text)
                text = re.sub(r"(<meta:creation-date>)[^<]*(</meta:creation-date>)", r"\g<1>2025-10-01T00:00:00\2", text)
                text = re.sub(r"(<dc:date>)[^<]*(</dc:date>)", r"\g<1>2025-10-01T00:00:00\2", text)
                text = re.sub(r"(<meta:editing-duration>)[^<]*(</meta:editing-duration>)", r"\1PT0S\2", text)
                text = re.sub(r"(<meta:generator>)[^<]*(</meta:generator>)", r"\1LibreOffice\2", text)
                data = text.encode("utf-8")
            if name == "styles.xml" and b"<office:master-styles>" in data:
                # LibreOffice writes the page styles in a varying order: sort them
                text = data.decode("utf-8")
                m = re.search(r"<office:master-styles>(.*?)</office:master-styles>", text, re.S)
                pages = re.findall(r"<style:master-page .*?</style:master-page>|<style:master-page [^>]*/>", m.group(1), re.S)
                if "".join(pages) == m.group(1):
                    text = text[:m.start(1)] + "".join(sorted(pages)) + text[m.end(1):]
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            zi.compress_type = info.compress_type
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    path.write_bytes(buf.getvalue())


_LO_PROFILE = None


def lo_convert(src, fmt, outdir):
    """Convert with LibreOffice (headless, private profile). Returns the output path."""
    global _LO_PROFILE
    if _LO_PROFILE is None:
        _LO_PROFILE = tempfile.mkdtemp(prefix="corpus-lo-")
    src = Path(src)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = ["soffice", f"-env:UserInstallation=file://{_LO_PROFILE}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", str(outdir), str(src)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    if not out.exists():
        raise RuntimeError(f"LibreOffice did not produce {out}")
    return out


def zero_ole_times(data):
    """Clear the creation/modification times of every directory entry of an OLE
    (compound file) container, so that the bytes do not depend on the clock."""
    data = bytearray(data)
    shift = struct.unpack_from("<H", data, 30)[0]
    size = 1 << shift
    first_dir = struct.unpack_from("<I", data, 48)[0]
    difat = [x for x in struct.unpack_from("<109I", data, 76) if x < 0xFFFFFFFA]
    fat = []
    for sec in difat:
        off = 512 + sec * size
        fat += struct.unpack_from(f"<{size // 4}I", data, off)
    sec, seen = first_dir, set()
    while sec < 0xFFFFFFFA and sec not in seen:
        seen.add(sec)
        off = 512 + sec * size
        for e in range(size // 128):
            base = off + e * 128
            data[base + 100: base + 116] = b"\0" * 16
        sec = fat[sec]
    return bytes(data)


def png_bytes():
    """A valid 4x4 grey PNG, built by hand (no image library needed)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\x80" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


# ---------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------

CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def F(rule, sheet, cell=None):
    d = {"rule": rule, "sheet": sheet}
    if cell is not None:
        d["cell"] = cell
    return d


def entry(path, zone, note, findings=(), infos=()):
    return {"path": path, "zone": zone, "note": note, "findings": list(findings), "infos": list(infos)}


def banner_layout(ret, note_text="单位：金额为万元，日期为年-月-日　　统计截至：2025年9月30日"):
    """Merged title banner + note row above the header on every table sheet."""
    def tb(title):
        return TableOpts(pre_rows=[([f"{ret.zone}{title}（示例数据）"], True), ([note_text], False)])
    return Layout(
        basic=BasicOpts(title_merge=True, pre_rows=[["（请勿修改左列字段名称）"]]),
        tables={"ind": tb("双高协同核心指标"), "proj": tb("合作研发项目清单"), "plat": tb("共建产业创新平台清单"),
                "expl": TableOpts()},
    )


# ----- group 1: clean returns, different makers and layouts ---------------

@case
def clean_plain(out):
    ret = Return("徐州高新区", 1, 8, 3).finalize()
    write_return(out / "clean_plain.xlsx", ret, Layout())
    return [entry("clean_plain.xlsx", "徐州高新区", "plain openpyxl workbook, header in row 1, real dates")]


@case
def clean_banner(out):
    ret = Return("镇江高新区", 2, 10, 4)
    ret.basic["报告期"] = "2025年第三季度"
    ret.finalize()
    # stock indicator: 本季度新增 filled (equal to the level) instead of blank
    ret.set_ind("SG03", new=ret.ind("SG03")["累计值"])
    write_return(out / "clean_banner.xlsx", ret, banner_layout(ret))
    note = "merged banner title and a note row above every header (header in row 3); 报告期 2025年第三季度"
    return [entry("clean_banner.xlsx", "镇江高新区", note)]


@case
def clean_shuffled_columns(out):
    ret = Return("扬州高新区", 3, 7, 3)
    ret.basic["报告期"] = "2025-Q3"
    ret.finalize()
    names = ["孙立群", "马俊", "朱晓燕", "胡建军", "徐静", "王超", "刘洋"]
    L = Layout(tables={
        "ind": TableOpts(order=["备注", "指标名称", "指标代码", "计量单位", "上季度累计值", "累计值", "本季度新增", "填报口径"],
                         extras={"上季度累计值": ("上季度累计值", lambda i, r: 0),
                                 "填报口径": ("填报口径", lambda i, r: "试点以来" if IND_KIND[r["指标代码"]] == "flow" else "季末时点")}),
        "proj": TableOpts(order=["项目名称", "序号", "项目负责人", "项目类别", "合作企业", "合作高校", "合同金额(万元)",
                                 "累计到位经费说明", "累计到位经费(万元)", "立项日期", "项目状态", "产业领域", "标杆项目", "备注"],
                          extras={"项目负责人": ("项目负责人", lambda i, r: names[i % len(names)]),
                                  "累计到位经费说明": ("累计到位经费说明", lambda i, r: "企业自筹与园区配套"),
                                  "备注": ("备注", lambda i, r: None if i % 3 else "已签订合作协议")}),
        "plat": TableOpts(order=["平台名称", "共建高校", "所在位置", "平台级别", "平台类型", "累计投入(万元)", "建成日期",
                                 "面积(平方米)", "序号"],
                          extras={"所在位置": ("所在位置", lambda i, r: f"扬州高新区科技广场{i + 1}号楼")}),
    })
    write_return(out / "clean_shuffled_columns.xlsx", ret, L)
    note = ("columns shuffled; unknown extra columns incl. the substring traps 上季度累计值 (before 累计值) "
            "and 累计到位经费说明 (before 累计到位经费); 报告期 2025-Q3")
    return [entry("clean_shuffled_columns.xlsx", "扬州高新区", note)]


@case
def clean_sheet_names(out):
    ret = Return("连云港高新区", 4, 6, 4)
    ret.basic["报告期"] = "2025 Q3"
    ret.finalize()
    L = Layout(
        names={"plat": "平台清单表", "ind": " 核心指标 ", "proj": "项目清单\u3000", "basic": "基本信息表"},
        order=["plat", "ind", "proj", "basic"],
        extra_sheets=[(0, "填表说明", [["填表说明"], ["1. 金额单位为万元。"], ["2. 日期格式为 2025-10-08。"]]),
                      (9, "统计口径", [["口径"], ["本表为示例数据"]])],
    )
    write_return(out / "clean_sheet_names.xlsx", ret, L)
    note = ("sheets out of order; names 平台清单表 (trailing 表), ' 核心指标 ' (surrounding spaces), "
            "'项目清单' + U+3000 full-width space, 基本信息表; ignored sheet 填表说明; extra sheet 统计口径; 报告期 '2025 Q3'")
    return [entry("clean_sheet_names.xlsx", "连云港高新区", note, infos=[F("S04", "统计口径")])]


@case
def clean_headers(out):
    ret = Return("无锡高新区", 5, 6, 3)
    ret.basic["报告期"] = "2025年第3季度"
    ret.finalize()
    L = Layout(
        basic=BasicOpts(label_text={"高新区名称": "高新区\n名称*", "报告期": "报告期*", "填报日期": " 填报日期 ",
                                    "转化基金规模(万元)": "转化基金规模（万元）*", "领军人才": "领军\n人才"}),
        tables={
            "ind": TableOpts(header_text={"指标代码": "指标\n代码", "本季度新增": "本季度\n新增*", "累计值": "累计值 *"}),
            "proj": TableOpts(header_text={"项目名称": "项目\n名称*", "合作高校": "合作高校*", "合作企业": "合作\n企业 *",
                                           "项目类别": " 项目类别*", "立项日期": "立项\n日期*",
                                           "合同金额(万元)": "合同金额\n（万元）*", "累计到位经费(万元)": "累计到位经费（万元）*",
                                           "项目状态": "项目状态*"}),
            "plat": TableOpts(header_text={"平台名称": "平台名称*", "平台类型": "平台\n类型*", "平台级别": "平台级别*",
                                           "共建高校": "共建高校*", "建成日期": "建成\n日期*",
                                           "面积(平方米)": "面积（平方米）", "累计投入(万元)": "累计投入\n（万元）"}),
        })
    write_return(out / "clean_headers.xlsx", ret, L)
    note = "headers with line breaks, full-width （万元）, trailing * and spaces; 基本信息 labels likewise; 报告期 2025年第3季度"
    return [entry("clean_headers.xlsx", "无锡高新区", note)]


@case
def clean_text_numbers(out):
    ret = Return("常州高新区", 6, 7, 3)
    ret.basic["报告期"] = "2025年3季度"
    infos_at = []  # (key, locator)
    # 项目清单: numbers stored as text, full-width digits, thousands separators
    p = ret.projects
    p[0]["合同金额(万元)"] = 1200
    p[0]["累计到位经费(万元)"] = 600
    p[1]["合同金额(万元)"] = 850
    p[1]["累计到位经费(万元)"] = 425
    p[2]["合同金额(万元)"] = 2345.5
    p[2]["累计到位经费(万元)"] = 1000
    text = {(0, "合同金额(万元)"): ("1,200", 1200), (0, "累计到位经费(万元)"): ("600", 600),
            (1, "合同金额(万元)"): ("８５０", 850), (1, "累计到位经费(万元)"): ("４２５", 425),
            (2, "合同金额(万元)"): ("2,345.5", 2345.5), (2, "累计到位经费(万元)"): ("１，０００", 1000)}
    for (i, col), (written, value) in text.items():
        p[i][col] = written
        ret.num[("proj", i, col)] = value
        infos_at.append(("proj", i, col))
    ret.platforms[1]["累计投入(万元)"] = "３２０"
    infos_at.append(("plat", 1, "累计投入(万元)"))
    ret.platforms[2]["面积(平方米)"] = "1,500"
    infos_at.append(("plat", 2, "面积(平方米)"))
    ret.basic["转化基金规模(万元)"] = "50,000"
    infos_at.append(("basic", "转化基金规模(万元)", None))
    ret.finalize()
    # 核心指标
    sg04 = ret.ind("SG04")["累计值"]
    ret.set_ind("SG04", both=str(sg04))
    sg06 = ret.ind("SG06")["累计值"]
    fw = str(sg06).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    ret.set_ind("SG06", both=fw)
    sg05 = ret.ind("SG05")["累计值"]
    ret.set_ind("SG05", both=f"{sg05:,}")
    ret.set_ind("SG10", both="１，２００")
    for code in ("SG04", "SG06", "SG05", "SG10"):
        infos_at += [("ind", code, "本季度新增"), ("ind", code, "累计值")]
    pos = write_return(out / "clean_text_numbers.xlsx", ret, Layout())
    infos = [F("V07", pos.names[k], locate(pos, k, a, b)) for k, a, b in infos_at]
    note = f"numbers stored as text, full-width digits １２３ and ，, thousands separators (SG05 written '{sg05:,}'); 报告期 2025年3季度"
    return [entry("clean_text_numbers.xlsx", "常州高新区", note, infos=infos)]


def locate(pos, key, a, b=None):
    if key == "basic":
        return pos.basic(a)
    if key == "ind":
        return pos.ind(a, b)
    if key == "proj":
        return pos.proj(a, b)
    if key == "plat":
        return pos.plat(a, b)
    raise KeyError(key)


@case
def clean_units(out):
    ret = Return("镇江高新区", 7, 9, 3)
    p = ret.projects
    units = [(0, "合同金额(万元)", "1,200万元", 1200), (0, "累计到位经费(万元)", "600万元", 600),
             (1, "合同金额(万元)", "0.12亿元", 1200), (1, "累计到位经费(万元)", "360万", 360),
             (2, "合同金额(万元)", "1200万", 1200), (2, "累计到位经费(万元)", "0.05亿元", 500)]
    infos_at = []
    for i, col, written, value in units:
        p[i][col] = written
        ret.num[("proj", i, col)] = value
        infos_at.append(("proj", i, col))
    ret.platforms[0]["累计投入(万元)"] = "0.08亿元"
    infos_at.append(("plat", 0, "累计投入(万元)"))
    ret.basic["转化基金规模(万元)"] = "2亿元"
    infos_at.append(("basic", "转化基金规模(万元)", None))
    ret.finalize()
    pos = write_return(out / "clean_units.xlsx", ret, Layout())
    infos = [F("V07", pos.names[k], locate(pos, k, a, b)) for k, a, b in infos_at]
    note = "units written in 万元 cells: 1,200万元 / 0.12亿元 / 1200万 / 360万 / 0.05亿元; 转化基金规模 2亿元"
    return [entry("clean_units.xlsx", "镇江高新区", note, infos=infos)]


@case
def clean_text_dates(out):
    ret = Return("扬州高新区", 8, 8, 4)
    p = ret.projects
    serial = (date(2025, 8, 31) - date(1899, 12, 30)).days
    p[0]["立项日期"] = "2025-07-15"
    p[1]["立项日期"] = "2025/8/3"
    p[2]["立项日期"] = "2025.09.12"
    p[3]["立项日期"] = "2025年7月28日"
    p[4]["立项日期"] = Styled(serial, "General")   # an Excel serial shown as a plain number
    p[5]["立项日期"] = date(2025, 9, 3)             # a real date
    p[6]["立项日期"] = Styled(date(2025, 8, 19), "yyyy\"年\"m\"月\"d\"日\"")
    ret.platforms[0]["建成日期"] = "2025/9/30"
    ret.platforms[1]["建成日期"] = "2025.07.01"
    ret.platforms[2]["建成日期"] = "2025年8月1日"
    ret.basic["填报日期"] = "2025年10月9日"
    ret.basic["报告期"] = "2025年第三季度"
    ret.finalize()
    pos = write_return(out / "clean_text_dates.xlsx", ret, Layout())
    infos = [F("V07", "项目清单", pos.proj(i, "立项日期")) for i in (1, 2, 3)]
    infos += [F("V07", "平台清单", pos.plat(i, "建成日期")) for i in (0, 1, 2)]
    infos += [F("V07", "基本信息", pos.basic("填报日期"))]
    note = (f"dates as text 2025-07-15 / 2025/8/3 / 2025.09.12 / 2025年7月28日, a bare serial {serial}, "
            "real dates with two number formats; 填报日期 2025年10月9日")
    return [entry("clean_text_dates.xlsx", "扬州高新区", note, infos=infos)]


@case
def clean_aliases(out):
    ret = Return("徐州高新区", 9, 9, 4, written_zone="徐州国家高新区")
    p = ret.projects
    p[0]["合作高校"] = "矿大"
    p[1]["合作高校"] = "中国矿业大学、江苏师范大学"
    p[2]["合作高校"] = "矿大/徐工院"
    p[3]["合作高校"] = "江苏师大"
    p[4]["合作高校"] = "中国矿业大学，徐州工程学院"
    p[5]["合作高校"] = "江苏师范大学; 中国矿大"
    infos_at = []
    enum_edits = [(1, "项目类别", "重大"), (2, "项目类别", " 一般项目 "), (3, "项目状态", "进行中"),
                  (4, "项目状态", "结题"), (6, "项目状态", "在研 ")]
    for i, col, v in enum_edits:
        p[i][col] = v
        infos_at.append(("proj", i, col))
    p[0]["项目类别"] = "标志性"
    infos_at.append(("proj", 0, "项目类别"))
    p[0]["标杆项目"] = "√"
    infos_at.append(("proj", 0, "标杆项目"))
    p[7]["标杆项目"] = "N"
    infos_at.append(("proj", 7, "标杆项目"))
    pl = ret.platforms
    for row, name in zip(pl, ["新能源材料重点实验室", "矿山安全技术装备中试平台", "安全应急装备创新联合体",
                              "智能工程机械工程技术研究中心"]):
        row["平台名称"] = name
        row["平台类型"] = platform_type_for(name)
    pl[3]["平台类型"] = "工程中心"
    pl[1]["平台类型"] = "中试基地"
    infos_at += [("plat", 3, "平台类型"), ("plat", 1, "平台类型")]
    pl[0]["平台级别"] = "省"
    pl[1]["平台级别"] = " 市级"
    infos_at += [("plat", 0, "平台级别"), ("plat", 1, "平台级别")]
    pl[2]["共建高校"] = "矿大、江苏师大"
    ret.finalize()
    pos = write_return(out / "clean_aliases.xlsx", ret, Layout())
    infos = [F("V07", pos.names[k], locate(pos, k, i, c)) for k, i, c in infos_at]
    note = ("zone alias 徐州国家高新区; university aliases 矿大/徐工院/江苏师大/中国矿大, two universities with 、 / ， ;; "
            "enum aliases 标志性/重大/进行中/结题/√/N/工程中心/中试基地/省 and stray spaces")
    return [entry("clean_aliases.xlsx", "徐州高新区", note, infos=infos)]


@case
def clean_formulas(out, tmp):
    ret = Return("江阴高新区", 10, 7, 3).finalize()
    n, m = len(ret.projects), len(ret.platforms)
    # project rows 2..n+1 in a plain layout (header in row 1)
    for i, row in enumerate(ret.projects):
        r = i + 2
        row["序号"] = "=ROW()-1"
        row["累计到位经费(万元)"] = f"=ROUND(H{r}*0.5,1)"
        ret.num[("proj", i, "累计到位经费(万元)")] = round(float(row["合同金额(万元)"]) * 0.5 + 1e-9, 1)
    for i, row in enumerate(ret.platforms):
        row["序号"] = "=ROW()-1"
    ret.finalize()
    codes = [r["指标代码"] for r in ret.indicators]
    rowof = {c: codes.index(c) + 2 for c in codes}
    for code, kind in IND_KIND.items():
        if kind == "flow":
            ret.set_ind(code, new=f"=E{rowof[code]}")
    ret.set_ind("SG01", cum=f"=COUNTA(项目清单!B2:B{n + 1})")
    ret.set_ind("SG02", cum=f"=COUNTA(平台清单!B2:B{m + 1})")
    ret.set_ind("SG05", cum=f"=SUM(项目清单!I2:I{n + 1})+{ret.sg05_margin}")
    ret.set_ind("SG13", cum=f"=ROUND(E{rowof['SG12']}*0.6,1)")
    ret.set_ind("SG16", cum=f"=COUNTIF(平台清单!C2:C{m + 1},\"创新联合体\")+{ret.sg16_extra}")
    ret.basic["填报日期"] = Styled("=DATE(2025,10,10)", "yyyy-mm-dd")
    ret.basic["转化基金规模(万元)"] = "=2*10000"
    src = tmp / "clean_formulas.xlsx"
    write_return(src, ret, Layout())
    conv = lo_convert(src, "xlsx", tmp / "lo")
    shutil.copy(conv, out / "clean_formulas.xlsx")
    normalize_zip(out / "clean_formulas.xlsx")
    note = ("saved by LibreOffice: formulas with cached values (COUNTA/SUM/COUNTIF across sheets, ROUND, ROW, DATE); "
            "本季度新增 = 累计值 by formula")
    return [entry("clean_formulas.xlsx", "江阴高新区", note)]


@case
def clean_merged_cells(out):
    ret = Return("盐城环保高新区", 11, 6, 4)
    # consecutive projects share an enterprise / field; the clerk merged those cells
    p = ret.projects
    p[2]["合作企业"] = p[1]["合作企业"]
    p[3]["产业领域"] = p[4]["产业领域"] = p[5]["产业领域"]
    ret.finalize()
    L = Layout(
        basic=BasicOpts(title_merge=True, merge2=["产业方向", "依托科创平台", "领军人才"]),
        tables={"proj": TableOpts(data_merges=[("合作企业", 1, 2), ("产业领域", 3, 5)])},
    )
    write_return(out / "clean_merged_cells.xlsx", ret, L)
    note = ("基本信息: merged title A1:B1 and three fields whose label and value cells are each merged over two rows; "
            "项目清单: 合作企业 and 产业领域 merged down over consecutive rows")
    return [entry("clean_merged_cells.xlsx", "盐城环保高新区", note)]


@case
def clean_footer_notes(out):
    ret = Return("宿迁高新区", 12, 5, 2).finalize()
    ret.explanations = [{"规则编号": "X08", "位置": "SG09", "说明": "首季度集中发布企业技术需求（示例数据）"}]
    L = Layout(
        tables={
            "ind": TableOpts(footer=[["注：SG03 为季末时点数，其余为试点以来累计数。"], ["审核人：王伟", None, "审核日期：2025-10-09"]]),
            "proj": TableOpts(footer=[["注：金额单位为万元；日期填写到日。"], ["填表人：陈静", None, "本页共5项"]]),
            "plat": TableOpts(footer=[None, ["填表说明：平台类型、平台级别请从下拉列表中选择。"], ["合计", None, None, None, None, None, 999]]),
        },
        extra_sheets=[(9, "填表说明", [["填表说明"], ["1. 本表为示例数据。"]])],
    )
    write_return(out / "clean_footer_notes.xlsx", ret, L)
    note = ("rows after the data that must not be read: 注 rows right after the last data row, a blank row then "
            "填表说明 and a 合计 row; a 情况说明 sheet; an ignored 填表说明 sheet")
    return [entry("clean_footer_notes.xlsx", "宿迁高新区", note)]


@case
def clean_unpaired_zone(out):
    ret = Return("南通高新区", 13, 5, 3).finalize()
    write_return(out / "clean_unpaired_zone.xlsx", ret, Layout())
    note = "zone with no confirmed pair in the registry (南通高新区): its universities draw no I03"
    return [entry("clean_unpaired_zone.xlsx", "南通高新区", note)]


@case
def clean_converted(out, tmp):
    """clean_banner.xlsx through LibreOffice to .xls and .ods; clean_plain as .xlsm; clean_headers as .xls."""
    res = []
    for fmt in ("xls", "ods"):
        conv = lo_convert(out / "clean_banner.xlsx", fmt, tmp / ("lo-" + fmt))
        shutil.copy(conv, out / f"clean_banner.{fmt}")
        if fmt == "ods":
            normalize_zip(out / "clean_banner.ods")
        res.append(entry(f"clean_banner.{fmt}", "镇江高新区",
                         f"clean_banner.xlsx saved by LibreOffice as .{fmt} (same cells)"))
    shutil.copy(out / "clean_plain.xlsx", out / "clean_plain_copy.xlsm")
    res.append(entry("clean_plain_copy.xlsm", "徐州高新区", "byte copy of clean_plain.xlsx named .xlsm"))
    shutil.copy(out / "clean_headers.xlsx", out / "xlsx_named_xls.xls")
    res.append(entry("xlsx_named_xls.xls", "无锡高新区",
                     "byte copy of clean_headers.xlsx named .xls: the type is found by the bytes, so NOT F01"))
    return res


# ----- group 2: one defect per file --------------------------------------

@case
def s01_missing_platform_sheet(out):
    ret = Return("徐州高新区", 21, 6, 0).finalize()   # SG02 = 0 and SG16 = 0/1: nothing else can fire
    write_return(out / "s01_missing_platform_sheet.xlsx", ret, Layout(skip=["plat"]))
    return [entry("s01_missing_platform_sheet.xlsx", "徐州高新区",
                  "no 平台清单 sheet (SG02 written as 0 so X02 holds either way)", [F("S01", "平台清单")])]


@case
def s02_missing_enterprise_column(out):
    ret = Return("镇江高新区", 22, 7, 3).finalize()
    write_return(out / "s02_missing_enterprise_column.xlsx", ret,
                 Layout(tables={"proj": TableOpts(drop=["合作企业"])}))
    return [entry("s02_missing_enterprise_column.xlsx", "镇江高新区", "项目清单 has no 合作企业 column (header row 1)",
                  [F("S02", "项目清单")])]


@case
def s02_missing_basic_label(out):
    ret = Return("扬州高新区", 23, 6, 3).finalize()
    write_return(out / "s02_missing_basic_label.xlsx", ret, Layout(basic=BasicOpts(drop=["领军人才"])))
    return [entry("s02_missing_basic_label.xlsx", "扬州高新区", "基本信息 has no 领军人才 row at all (label absent)",
                  [F("S02", "基本信息")])]


@case
def s03_missing_sg07(out):
    ret = Return("连云港高新区", 24, 6, 3).finalize()
    ret.indicators = [r for r in ret.indicators if r["指标代码"] != "SG07"]
    write_return(out / "s03_missing_sg07.xlsx", ret, Layout())
    return [entry("s03_missing_sg07.xlsx", "连云港高新区", "核心指标 row SG07 deleted (15 rows)", [F("S03", "核心指标")])]


@case
def s03_unknown_code(out):
    ret = Return("无锡高新区", 25, 6, 3).finalize()
    ret.indicators.append({"指标代码": "SG99", "指标名称": "其他合作成果", "计量单位": "项",
                           "本季度新增": 5, "累计值": 5, "备注": None})
    pos = write_return(out / "s03_unknown_code.xlsx", ret, Layout())
    return [entry("s03_unknown_code.xlsx", "无锡高新区", "an extra 17th 核心指标 row with unknown code SG99",
                  [F("S03", "核心指标", pos.ind("SG99", "指标代码"))])]


@case
def v01_empty_filler(out):
    ret = Return("江阴高新区", 26, 6, 3)
    ret.basic["填报人"] = None
    ret.finalize()
    pos = write_return(out / "v01_empty_filler.xlsx", ret, Layout())
    return [entry("v01_empty_filler.xlsx", "江阴高新区", "基本信息 填报人 label present, value empty",
                  [F("V01", "基本信息", pos.basic("填报人"))])]


@case
def v01_empty_category(out):
    ret = Return("常州高新区", 27, 7, 3)
    ret.projects[3]["项目类别"] = None
    ret.finalize()
    pos = write_return(out / "v01_empty_category.xlsx", ret, Layout())
    return [entry("v01_empty_category.xlsx", "常州高新区", "项目清单 row 4: 项目类别 empty",
                  [F("V01", "项目清单", pos.proj(3, "项目类别"))])]


@case
def v01_empty_flow_new(out):
    ret = Return("镇江高新区", 57, 6, 3).finalize()
    ret.ind("SG09")["本季度新增"] = None
    pos = write_return(out / "v01_empty_flow_new.xlsx", ret, Layout())
    return [entry("v01_empty_flow_new.xlsx", "镇江高新区", "本季度新增 of flow indicator SG09 left blank",
                  [F("V01", "核心指标", pos.ind("SG09", "本季度新增"))])]


@case
def v02_chinese_numeral(out):
    ret = Return("盐城环保高新区", 28, 6, 3).finalize()
    ret.set_ind("SG03", cum="十二")
    pos = write_return(out / "v02_chinese_numeral.xlsx", ret, Layout())
    return [entry("v02_chinese_numeral.xlsx", "盐城环保高新区", "SG03 (stock) 累计值 written 十二",
                  [F("V02", "核心指标", pos.ind("SG03", "累计值"))])]


@case
def v02_approximate(out):
    ret = Return("宿迁高新区", 29, 5, 2).finalize()
    ret.set_ind("SG03", cum="约20")
    pos = write_return(out / "v02_approximate.xlsx", ret, banner_layout(ret))
    return [entry("v02_approximate.xlsx", "宿迁高新区", "SG03 (stock) 累计值 written 约20; banner layout",
                  [F("V02", "核心指标", pos.ind("SG03", "累计值"))])]


@case
def v03_negative(out):
    ret = Return("徐州高新区", 30, 7, 3).finalize()
    ret.set_ind("SG03", cum=-5)
    pos = write_return(out / "v03_negative.xlsx", ret, Layout())
    return [entry("v03_negative.xlsx", "徐州高新区", "SG03 (stock) 累计值 -5",
                  [F("V03", "核心指标", pos.ind("SG03", "累计值"))])]


@case
def v04_category_typo(out):
    ret = Return("镇江高新区", 31, 8, 3)
    ret.projects[0]["项目类别"] = "标志项目"
    ret.finalize()
    pos = write_return(out / "v04_category_typo.xlsx", ret, Layout())
    return [entry("v04_category_typo.xlsx", "镇江高新区", "项目类别 标志项目 (closest: 标志性项目)",
                  [F("V04", "项目清单", pos.proj(0, "项目类别"))])]


@case
def v04_level_typo(out):
    ret = Return("扬州高新区", 32, 6, 3)
    ret.platforms[1]["平台级别"] = "国级"
    ret.finalize()
    pos = write_return(out / "v04_level_typo.xlsx", ret, Layout())
    return [entry("v04_level_typo.xlsx", "扬州高新区", "平台级别 国级 (closest: 国家级)",
                  [F("V04", "平台清单", pos.plat(1, "平台级别"))])]


@case
def v05_bad_date(out):
    ret = Return("连云港高新区", 33, 7, 3)
    ret.projects[2]["立项日期"] = "2025-13-45"
    ret.finalize()
    pos = write_return(out / "v05_bad_date.xlsx", ret, Layout())
    return [entry("v05_bad_date.xlsx", "连云港高新区", "立项日期 2025-13-45 (text)",
                  [F("V05", "项目清单", pos.proj(2, "立项日期"))])]


@case
def v06_div0(out, tmp):
    ret = Return("无锡高新区", 34, 6, 3).finalize()
    ret.set_ind("SG03", cum="=1/0")
    src = tmp / "v06_div0.xlsx"
    pos = write_return(src, ret, Layout())
    conv = lo_convert(src, "xlsx", tmp / "lo")
    shutil.copy(conv, out / "v06_div0.xlsx")
    normalize_zip(out / "v06_div0.xlsx")
    return [entry("v06_div0.xlsx", "无锡高新区", "SG03 累计值 =1/0, cached #DIV/0! (saved by LibreOffice)",
                  [F("V06", "核心指标", pos.ind("SG03", "累计值"))])]


@case
def v06_ref_xls(out, tmp):
    ret = Return("江阴高新区", 35, 6, 3).finalize()
    ret.set_ind("SG03", cum="=#REF!")
    src = tmp / "v06_ref.xlsx"
    pos = write_return(src, ret, Layout())
    conv = lo_convert(src, "xls", tmp / "lo-xls")
    shutil.copy(conv, out / "v06_ref.xls")
    return [entry("v06_ref.xls", "江阴高新区", "SG03 累计值 is a formula whose reference was deleted: cached #REF! (.xls by LibreOffice)",
                  [F("V06", "核心指标", pos.ind("SG03", "累计值"))])]


@case
def v08_big_contract(out):
    ret = Return("常州高新区", 36, 6, 3)
    ret.projects[1]["合同金额(万元)"] = 250000
    ret.projects[1]["累计到位经费(万元)"] = 1200
    ret.finalize()
    pos = write_return(out / "v08_big_contract.xlsx", ret, Layout())
    return [entry("v08_big_contract.xlsx", "常州高新区", "one project's 合同金额 250000 万元 (> 100000)",
                  [F("V08", "项目清单", pos.proj(1, "合同金额(万元)"))])]


@case
def v08_yuan(out):
    ret = Return("盐城环保高新区", 37, 6, 3)
    ret.projects[3]["合同金额(万元)"] = "500000元"
    ret.num[("proj", 3, "合同金额(万元)")] = 50
    ret.projects[3]["累计到位经费(万元)"] = 30
    ret.finalize()
    pos = write_return(out / "v08_yuan.xlsx", ret, Layout())
    return [entry("v08_yuan.xlsx", "盐城环保高新区", "合同金额 written 500000元 (= 50 万元, 累计到位 30)",
                  [F("V08", "项目清单", pos.proj(3, "合同金额(万元)"))])]


@case
def i01_unknown_zone(out):
    ret = Return("苏州工业园区", 38, 6, 3).finalize()
    pos = write_return(out / "i01_unknown_zone.xlsx", ret, Layout())
    return [entry("i01_unknown_zone.xlsx", None, "高新区名称 苏州工业园区 (not a pilot zone): cannot be tied to a zone",
                  [F("I01", "基本信息", pos.basic("高新区名称"))])]


@case
def i02_unknown_university(out):
    ret = Return("徐州高新区", 39, 7, 3)
    ret.projects[4]["合作高校"] = "哈佛大学"
    ret.finalize()
    pos = write_return(out / "i02_unknown_university.xlsx", ret, Layout())
    return [entry("i02_unknown_university.xlsx", "徐州高新区", "合作高校 哈佛大学 (not in the registry)",
                  [F("I02", "项目清单", pos.proj(4, "合作高校"))])]


@case
def i04_wrong_period(out):
    ret = Return("镇江高新区", 40, 6, 3)
    ret.basic["报告期"] = "2025Q2"
    ret.finalize()
    pos = write_return(out / "i04_wrong_period.xlsx", ret, Layout())
    return [entry("i04_wrong_period.xlsx", "镇江高新区", "报告期 2025Q2 while 2025Q3 is processed (dates are all Q3)",
                  [F("I04", "基本信息", pos.basic("报告期"))])]


@case
def i04_unreadable_period(out):
    ret = Return("扬州高新区", 41, 6, 3)
    ret.basic["报告期"] = "上季度"
    ret.finalize()
    pos = write_return(out / "i04_unreadable_period.xlsx", ret, Layout())
    return [entry("i04_unreadable_period.xlsx", "扬州高新区", "报告期 上季度 (unreadable)",
                  [F("I04", "基本信息", pos.basic("报告期"))])]


@case
def t01_future_start(out):
    ret = Return("连云港高新区", 42, 7, 3)
    ret.projects[5]["立项日期"] = date(2025, 11, 2)
    ret.finalize()
    pos = write_return(out / "t01_future_start.xlsx", ret, Layout())
    return [entry("t01_future_start.xlsx", "连云港高新区", "立项日期 2025-11-02, after the period end",
                  [F("T01", "项目清单", pos.proj(5, "立项日期"))])]


@case
def t02_early_built(out):
    ret = Return("无锡高新区", 43, 6, 3)
    ret.platforms[1]["建成日期"] = date(2025, 3, 1)
    ret.finalize()
    pos = write_return(out / "t02_early_built.xlsx", ret, Layout())
    return [entry("t02_early_built.xlsx", "无锡高新区", "建成日期 2025-03-01, before the pilot start",
                  [F("T02", "平台清单", pos.plat(1, "建成日期"))])]


@case
def t03_late_filing(out):
    ret = Return("江阴高新区", 44, 6, 3)
    ret.basic["填报日期"] = date(2025, 10, 20)
    ret.finalize()
    pos = write_return(out / "t03_late_filing.xlsx", ret, Layout())
    return [entry("t03_late_filing.xlsx", "江阴高新区", "填报日期 2025-10-20, after the 2025-10-15 deadline",
                  [F("T03", "基本信息", pos.basic("填报日期"))])]


@case
def x01_project_count(out):
    ret = Return("常州高新区", 45, 7, 3).finalize()
    ret.set_ind("SG01", both=8)
    pos = write_return(out / "x01_project_count.xlsx", ret, Layout())
    return [entry("x01_project_count.xlsx", "常州高新区", "SG01 = 8 (本季度新增 = 累计值) but 项目清单 has 7 rows",
                  [F("X01", "核心指标", pos.ind("SG01", "累计值"))])]


@case
def x01_project_count_ods(out, tmp):
    ret = Return("宿迁高新区", 54, 6, 2).finalize()
    ret.set_ind("SG01", both=5)
    src = tmp / "x01_project_count_banner.xlsx"
    pos = write_return(src, ret, banner_layout(ret))
    conv = lo_convert(src, "ods", tmp / "lo-ods")
    shutil.copy(conv, out / "x01_project_count_banner.ods")
    normalize_zip(out / "x01_project_count_banner.ods")
    return [entry("x01_project_count_banner.ods", "宿迁高新区",
                  "ODS by LibreOffice, banner layout: SG01 = 5 but 项目清单 has 6 rows",
                  [F("X01", "核心指标", pos.ind("SG01", "累计值"))])]


@case
def x02_platform_count(out):
    ret = Return("盐城环保高新区", 46, 6, 4).finalize()
    ret.set_ind("SG02", both=3)
    pos = write_return(out / "x02_platform_count.xlsx", ret, Layout())
    return [entry("x02_platform_count.xlsx", "盐城环保高新区", "SG02 = 3 but 平台清单 has 4 rows",
                  [F("X02", "核心指标", pos.ind("SG02", "累计值"))])]


@case
def x03_funding_short(out):
    ret = Return("宿迁高新区", 47, 6, 2).finalize()
    funded = sum(ret.amount("proj", i, "累计到位经费(万元)") for i in range(len(ret.projects)))
    short = int(funded) - 100
    ret.set_ind("SG05", both=short)
    pos = write_return(out / "x03_funding_short.xlsx", ret, Layout())
    return [entry("x03_funding_short.xlsx", "宿迁高新区", f"SG05 = {short} < Σ 累计到位经费 = {funded:g}",
                  [F("X03", "核心指标", pos.ind("SG05", "累计值"))])]


@case
def x03_funding_short_explained(out):
    ret = Return("扬州高新区", 56, 6, 3).finalize()
    funded = sum(ret.amount("proj", i, "累计到位经费(万元)") for i in range(len(ret.projects)))
    short = int(funded) - 60
    ret.set_ind("SG05", both=short)
    # the explanation names the cell; compute it from a plain layout (SG05 is row 6)
    ret.explanations = [{"规则编号": "X03", "位置": "核心指标!E6", "说明": "部分到位经费由高校直接拨付，未计入园区投入（示例数据）"}]
    pos = write_return(out / "x03_funding_short_explained.xlsx", ret, Layout())
    assert pos.ind("SG05", "累计值") == "E6"
    return [entry("x03_funding_short_explained.xlsx", "扬州高新区",
                  f"SG05 = {short} < Σ 累计到位经费 = {funded:g}, explained in 情况说明 (still a warning: 已说明)",
                  [F("X03", "核心指标", "E6")])]


@case
def x04_funded_over_contract(out):
    ret = Return("徐州高新区", 48, 7, 3)
    p = ret.projects[1]
    p["累计到位经费(万元)"] = p["合同金额(万元)"] + 50
    ret.finalize()
    pos = write_return(out / "x04_funded_over_contract.xlsx", ret, Layout())
    return [entry("x04_funded_over_contract.xlsx", "徐州高新区",
                  f"project 2: 累计到位经费 {p['累计到位经费(万元)']} > 合同金额 {p['合同金额(万元)']}",
                  [F("X04", "项目清单", pos.proj(1, "累计到位经费(万元)"))])]


@case
def x04_sg13_over_sg12(out):
    ret = Return("镇江高新区", 49, 6, 3).finalize()
    sg12 = ret.ind("SG12")["累计值"]
    ret.set_ind("SG13", both=sg12 + 200)
    pos = write_return(out / "x04_sg13_over_sg12.xlsx", ret, Layout())
    return [entry("x04_sg13_over_sg12.xlsx", "镇江高新区", f"SG13 = {sg12 + 200} > SG12 = {sg12}",
                  [F("X04", "核心指标", pos.ind("SG13", "累计值"))])]


@case
def x05_new_not_cumulative(out):
    ret = Return("扬州高新区", 50, 6, 3).finalize()
    cum = ret.ind("SG04")["累计值"]
    ret.set_ind("SG04", new=cum - 10)
    pos = write_return(out / "x05_new_not_cumulative.xlsx", ret, Layout())
    return [entry("x05_new_not_cumulative.xlsx", "扬州高新区",
                  f"first quarter: SG04 本季度新增 {cum - 10} ≠ 累计值 {cum}",
                  [F("X05", "核心指标", pos.ind("SG04", "本季度新增"))])]


@case
def x09_unions_short(out):
    ret = Return("连云港高新区", 51, 6, 4)
    ret.sg16_extra = 0
    # exactly two platforms of type 创新联合体
    for row, name in zip(ret.platforms, ["连云港新医药创新联合体", "连云港海洋装备创新联合体", "新材料中试平台", "先进膜材料重点实验室"]):
        row["平台名称"] = name
        row["平台类型"] = platform_type_for(name)
    ret.finalize()
    ret.set_ind("SG16", both=1)
    pos = write_return(out / "x09_unions_short.xlsx", ret, Layout())
    return [entry("x09_unions_short.xlsx", "连云港高新区", "SG16 = 1 but 平台清单 has 2 platforms of type 创新联合体",
                  [F("X09", "核心指标", pos.ind("SG16", "累计值"))])]


@case
def d01_duplicate_project(out):
    ret = Return("无锡高新区", 52, 7, 3)
    ret.projects[5]["项目名称"] = ret.projects[1]["项目名称"]
    ret.finalize()   # SG01 = 7 = rows (the duplicate row is counted as a row)
    pos = write_return(out / "d01_duplicate_project.xlsx", ret, Layout())
    return [entry("d01_duplicate_project.xlsx", "无锡高新区",
                  "rows 2 and 6 of 项目清单 have the same 项目名称; SG01 = 7 = rows",
                  [F("D01", "项目清单", pos.proj(5, "项目名称"))])]


@case
def d02_duplicate_platform(out):
    ret = Return("江阴高新区", 53, 6, 3)
    pl = ret.platforms
    plain = [i for i, r in enumerate(pl) if r["平台类型"] != "创新联合体"]
    a, b = plain[0], plain[1]
    pl[b]["平台名称"] = pl[a]["平台名称"]
    pl[b]["平台类型"] = pl[a]["平台类型"]
    ret.finalize()
    pos = write_return(out / "d02_duplicate_platform.xlsx", ret, Layout())
    return [entry("d02_duplicate_platform.xlsx", "江阴高新区",
                  f"平台清单 rows {a + 1} and {b + 1} have the same 平台名称 (not a 创新联合体); SG02 = rows",
                  [F("D02", "平台清单", pos.plat(b, "平台名称"))])]


@case
def multi_defects_banner(out):
    ret = Return("徐州高新区", 55, 9, 4)
    ret.projects[2]["立项日期"] = date(2025, 6, 15)
    ret.platforms[0]["共建高校"] = "清华大学"
    ret.finalize()
    ret.set_ind("SG02", both=5)
    cum = ret.ind("SG09")["累计值"]
    ret.set_ind("SG09", new=cum + 3)
    L = banner_layout(ret)
    L.tables["proj"].order = ["序号", "项目名称", "合作企业", "合作高校", "项目类别", "产业领域", "立项日期",
                              "合同金额(万元)", "累计到位经费(万元)", "项目状态", "标杆项目"]
    pos = write_return(out / "multi_defects_banner.xlsx", ret, L)
    return [entry("multi_defects_banner.xlsx", "徐州高新区",
                  "banner layout with four defects: T02 立项日期 2025-06-15, I02 清华大学, X02 SG02 5 vs 4 rows, X05 SG09",
                  [F("X02", "核心指标", pos.ind("SG02", "累计值")),
                   F("X05", "核心指标", pos.ind("SG09", "本季度新增")),
                   F("T02", "项目清单", pos.proj(2, "立项日期")),
                   F("I02", "平台清单", pos.plat(0, "共建高校"))])]


# ----- group 3: files that cannot be read ---------------------------------

@case
def broken_files(out, tmp):
    res = []
    (out / "broken_empty.xlsx").write_bytes(b"")
    res.append(entry("broken_empty.xlsx", None, "zero bytes", [{"rule": "F01"}]))
    (out / "broken_text.xlsx").write_bytes(
        "高新区名称,报告期,填报人\n徐州高新区,2025Q3,张伟\n（示例数据：这是一个改了扩展名的文本文件）\n".encode("utf-8"))
    res.append(entry("broken_text.xlsx", None, "a UTF-8 CSV text file named .xlsx", [{"rule": "F01"}]))
    full = (out / "clean_plain.xlsx").read_bytes()
    (out / "broken_truncated.xlsx").write_bytes(full[: len(full) // 2])
    res.append(entry("broken_truncated.xlsx", None, "first half of clean_plain.xlsx", [{"rule": "F01"}]))
    (out / "broken_png.xlsx").write_bytes(png_bytes())
    res.append(entry("broken_png.xlsx", None, "a 4x4 PNG image named .xlsx", [{"rule": "F01"}]))
    # encrypted: msoffcrypto with a seeded "random" source so the bytes are reproducible
    import msoffcrypto.method.ecma376_agile as agile
    from msoffcrypto.format.ooxml import OOXMLFile
    det = random.Random(1234)
    saved = agile._random_buffer
    agile._random_buffer = lambda n: bytes(det.randrange(256) for _ in range(n))
    try:
        with open(out / "clean_plain.xlsx", "rb") as f, open(out / "broken_encrypted.xlsx", "wb") as o:
            OOXMLFile(f).encrypt("1234", o)
    finally:
        agile._random_buffer = saved
    p = out / "broken_encrypted.xlsx"
    p.write_bytes(zero_ole_times(p.read_bytes()))
    res.append(entry("broken_encrypted.xlsx", None, "clean_plain.xlsx encrypted with password 1234 (an OLE container)",
                     [{"rule": "F01"}]))
    # a cell at XFD1048576 on 核心指标: beyond max_row/max_column
    ret = Return("镇江高新区", 58, 5, 2).finalize()
    src = tmp / "huge.xlsx"
    write_return(src, ret, Layout())
    with zipfile.ZipFile(src) as z:
        entries = [(i, z.read(i.filename)) for i in z.infolist()]
        wbxml = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet[^>]*name="核心指标"[^>]*r:id="(rId\d+)"', wbxml) or \
        re.search(r'<sheet[^>]*name="核心指标"[^>]*id="(rId\d+)"', wbxml)
    target = re.search(r'<Relationship[^>]*Id="%s"[^>]*Target="([^"]+)"' % rid.group(1), rels) or \
        re.search(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="%s"' % rid.group(1), rels)
    sheet_path = "xl/" + target.group(1).lstrip("/").replace("xl/", "")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            if info.filename == sheet_path:
                xml = data.decode()
                xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
                xml = xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
                data = xml.encode()
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, data)
    (out / "broken_far_cell.xlsx").write_bytes(buf.getvalue())
    res.append(entry("broken_far_cell.xlsx", None,
                     "otherwise valid return whose 核心指标 XML holds a cell at XFD1048576 (beyond max_row/max_column)",
                     [{"rule": "F01"}]))
    # a valid zip that is not a workbook
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        zi = zipfile.ZipInfo("说明.txt", date_time=FIXED_TIME)
        zi.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(zi, "示例数据：这是一个普通的压缩包，不是工作簿。\n".encode("utf-8"))
    (out / "broken_zip_not_workbook.xlsx").write_bytes(buf.getvalue())
    res.append(entry("broken_zip_not_workbook.xlsx", None, "a valid zip holding one text file, named .xlsx",
                     [{"rule": "F01"}]))
    return res


# ---------------------------------------------------------------------------
# An independent reference reading of the rules, used only to verify the
# expectations above. It re-reads every written file from disk (xls/ods are
# converted back to xlsx by LibreOffice first; cell positions do not move).
# ---------------------------------------------------------------------------

REG_ZONES = {}
REG_UNIS = {}
REG_PAIRS = {}
ENUMS = {}


def load_config():
    cfg = HERE.parent.parent / "inputs" / "config"
    reg = tomllib.loads((cfg / "registry.toml").read_text("utf-8"))
    for z in reg["zone"]:
        for n in [z["name"]] + z.get("aliases", []):
            REG_ZONES[nt(n)] = z["name"]
    for u in reg["university"]:
        for n in [u["name"]] + u.get("aliases", []):
            REG_UNIS[nt(n)] = u["name"]
    for p in reg["pair"]:
        REG_PAIRS.setdefault(p["zone"], set()).add(p["university"])
    form = tomllib.loads((cfg / "form.toml").read_text("utf-8"))
    for key, e in form["enumeration"].items():
        ENUMS[e["label"]] = e


def nt(s):
    """Loose text form: NFKC, no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s)))


def nh(s):
    return nt(s).rstrip("*")


def sniff_and_open(path, tmp):
    """Returns (workbook, None) or (None, reason)."""
    data = Path(path).read_bytes()
    if not data:
        return None, "empty"
    if data[:4] == b"PK\x03\x04":
        try:
            z = zipfile.ZipFile(io.BytesIO(data))
            names = z.namelist()
            z.testzip()
        except Exception as e:  # noqa: BLE001
            return None, f"bad zip: {e}"
        if "mimetype" in names and b"opendocument.spreadsheet" in z.read("mimetype"):
            conv = lo_convert(path, "xlsx", tmp / "chk")
            return openpyxl.load_workbook(conv, data_only=True), None
        if "xl/workbook.xml" not in names:
            return None, "zip without a workbook"
        try:
            return openpyxl.load_workbook(io.BytesIO(data), data_only=True), None
        except Exception as e:  # noqa: BLE001
            return None, f"openpyxl: {e}"
    if data[:8] == bytes.fromhex("D0CF11E0A1B11AE1"):
        import olefile
        ole = olefile.OleFileIO(io.BytesIO(data))
        if ole.exists("EncryptionInfo"):
            return None, "encrypted"
        src = tmp / "chk-in" / (Path(path).stem + ".xls")
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_bytes(data)
        conv = lo_convert(src, "xlsx", tmp / "chk")
        return openpyxl.load_workbook(conv, data_only=True), None
    return None, "not a spreadsheet"


def grid_of(ws):
    g = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and not isinstance(c, openpyxl.cell.cell.MergedCell):
                g[(c.row, c.column)] = (c.value, c.data_type)
    for rng in ws.merged_cells.ranges:
        tl = g.get((rng.min_row, rng.min_col))
        if tl is None:
            continue
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                g[(r, c)] = tl
    return g


def a1(r, c):
    return f"{get_column_letter(c)}{r}"


def is_blank(v):
    return v is None or (isinstance(v, str) and v.strip() == "")


class Checker:
    def __init__(self):
        self.errors = []   # (rule, sheet, cell)
        self.infos = []

    def add(self, rule, sheet, cell=None):
        sev = {"V07": "info", "I03": "info", "S04": "info"}.get(rule, "ew")
        (self.infos if sev == "info" else self.errors).append((rule, sheet, cell))

    # -- value readers; each returns (value or None, ok) and records findings
    def number(self, sheet, cell, v, dtype, amount=False, whole=False):
        if dtype == "e":
            self.add("V06", sheet, cell)
            return None
        if is_blank(v):
            return None
        if isinstance(v, bool) or isinstance(v, (datetime, date)):
            self.add("V02", sheet, cell)
            return None
        yuan = False
        if isinstance(v, (int, float)):
            x = float(v)
        else:
            s = nt(v)
            mult = 1.0
            if amount and s.endswith("亿元"):
                s, mult = s[:-2], 10000.0
            elif amount and s.endswith("万元"):
                s = s[:-2]
            elif amount and s.endswith("万"):
                s = s[:-1]
            elif amount and s.endswith("元"):
                s, mult, yuan = s[:-1], 1 / 10000.0, True
            s = s.replace(",", "")
            try:
                x = float(s) * mult
            except ValueError:
                self.add("V02", sheet, cell)
                return None
            if not yuan:
                self.add("V07", sheet, cell)
        if x < 0:
            self.add("V03", sheet, cell)
            return None
        if whole and x != int(x):
            self.add("V02", sheet, cell)
            return None
        if yuan:
            self.add("V08", sheet, cell)
        elif amount and x >= 1_000_000:
            self.add("V08", sheet, cell)
        return x

    def date(self, sheet, cell, v, dtype):
        if dtype == "e":
            self.add("V06", sheet, cell)
            return None
        if is_blank(v):
            return None
        if isinstance(v, datetime):
            return v.date()
        if isinstance(v, date):
            return v
        if isinstance(v, (int, float)):
            return date(1899, 12, 30) + timedelta(days=int(v))
        s = nt(v)
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
            try:
                d = datetime.strptime(s, fmt).date()
                self.add("V07", sheet, cell)
                return d
            except ValueError:
                pass
        self.add("V05", sheet, cell)
        return None

    def enum(self, sheet, cell, label, v):
        e = ENUMS[label]
        if is_blank(v):
            return e.get("blank")
        if v in e["values"]:
            return v
        s = nt(v)
        if s in e["values"]:
            self.add("V07", sheet, cell)
            return s
        if s in e.get("aliases", {}):
            self.add("V07", sheet, cell)
            return e["aliases"][s]
        self.add("V04", sheet, cell)
        return None

    def universities(self, sheet, cell, zone, v):
        parts = [p for p in re.split(r"[、,;/]", nt(v)) if p]
        for p in parts:
            u = REG_UNIS.get(p)
            if u is None:
                self.add("I02", sheet, cell)
            elif zone and REG_PAIRS.get(zone) and u not in REG_PAIRS[zone]:
                self.add("I03", sheet, cell)

    # -- the workbook
    def run(self, wb):
        lim_ok = all(ws.max_row <= 100_000 and ws.max_column <= 256 for ws in wb.worksheets)
        if not lim_ok:
            self.add("F01", None)
            return
        sheets = {}
        for ws in wb.worksheets:
            n = nt(ws.title)
            canon = {v: k for k, v in SHEET_CANON.items()}
            if n not in canon and n.endswith("表") and n[:-1] in canon:
                n = n[:-1]
            if n in canon:
                sheets[canon[n]] = ws
            elif n in ("填表说明", "模板信息"):
                pass
            else:
                self.add("S04", ws.title)
        for key in ("basic", "ind", "proj", "plat"):
            if key not in sheets:
                self.add("S01", SHEET_CANON[key])
        zone = None
        if "basic" in sheets:
            zone = self.basic(sheets["basic"])
        ind = self.indicators(sheets["ind"]) if "ind" in sheets else None
        proj = self.table(sheets["proj"], PROJ_COLS, zone) if "proj" in sheets else None
        plat = self.table(sheets["plat"], PLAT_COLS, zone) if "plat" in sheets else None
        if ind is not None:
            self.cross(sheets["ind"].title, ind, proj, plat)

    def basic(self, ws):
        g = grid_of(ws)
        name = ws.title
        found = {}
        for (r, c), (v, _) in sorted(g.items()):
            if isinstance(v, str) and nh(v) in {nh(l): l for l in BASIC_LABELS}:
                label = {nh(l): l for l in BASIC_LABELS}[nh(v)]
                if label not in found:
                    found[label] = (r, c + 1)
        required = {"高新区名称", "报告期", "填报人", "填报日期", "产业方向", "依托科创平台", "领军人才", "转化基金名称",
                    "转化基金规模(万元)"}
        zone = None
        for label in BASIC_LABELS:
            if label not in found:
                if label in required:
                    self.add("S02", name)
                continue
            r, c = found[label]
            v, dt = g.get((r, c), (None, None))
            cell = a1(r, c)
            if is_blank(v):
                if label in required:
                    self.add("V01", name, cell)
                continue
            if label == "高新区名称":
                zone = REG_ZONES.get(nt(v))
                if zone is None:
                    self.add("I01", name, cell)
            elif label == "报告期":
                s = nt(v).upper()
                m = re.fullmatch(r"(\d{4})-?Q([1-4])", s) or re.fullmatch(r"(\d{4})年第?([1-4一二三四])季度", s)
                if not m:
                    self.add("I04", name, cell)
                else:
                    q = "一二三四".index(m.group(2)) + 1 if m.group(2) in "一二三四" else int(m.group(2))
                    if (m.group(1), q) != ("2025", 3):
                        self.add("I04", name, cell)
            elif label == "填报日期":
                d = self.date(name, cell, v, dt)
                if d and d > date(2025, 10, 15):
                    self.add("T03", name, cell)
            elif label == "转化基金规模(万元)":
                self.number(name, cell, v, dt, amount=True)
        return zone

    def header(self, g, canon):
        want = {nh(c): c for c in canon}
        best = None
        for r in range(1, 11):
            cols = {}
            for c in range(1, 60):
                v = g.get((r, c), (None,))[0]
                if isinstance(v, str) and nh(v) in want and want[nh(v)] not in cols:
                    cols[want[nh(v)]] = c
            if len(cols) >= 2 and (best is None or len(cols) > len(best[1])):
                best = (r, cols)
        return best

    def rows(self, g, hr, width_cols):
        out = []
        maxr = max([r for r, _ in g] + [hr])
        for r in range(hr + 1, maxr + 1):
            vals = [g.get((r, c), (None,))[0] for c in range(1, 60)]
            nonblank = [v for v in vals if not is_blank(v)]
            if not nonblank:
                break
            if isinstance(nonblank[0], str) and nt(nonblank[0]).startswith(("填表说明", "注")):
                break
            out.append(r)
        return out

    def indicators(self, ws):
        g = grid_of(ws)
        name = ws.title
        h = self.header(g, IND_COLS)
        if h is None:
            self.add("S02", name)
            return None
        hr, cols = h
        for c in ("指标代码", "本季度新增", "累计值"):
            if c not in cols:
                self.add("S02", name)
                return None
        res = {}
        for r in self.rows(g, hr, cols):
            cv = g.get((r, cols["指标代码"]), (None,))[0]
            code = nt(cv).upper() if cv is not None else ""
            if code not in IND_KIND:
                self.add("S03", name, a1(r, cols["指标代码"]))
                continue
            if code in res:
                self.add("S03", name, a1(r, cols["指标代码"]))
                continue
            unit = {c: u for c, _, u, _ in INDICATORS}[code]
            amount = unit == "万元"
            vals = {}
            for col in ("本季度新增", "累计值"):
                cell = a1(r, cols[col])
                v, dt = g.get((r, cols[col]), (None, None))
                if is_blank(v) and dt != "e":
                    if col == "累计值" or IND_KIND[code] == "flow":
                        self.add("V01", name, cell)
                    vals[col] = None
                    continue
                vals[col] = self.number(name, cell, v, dt, amount=amount, whole=not amount)
            res[code] = (vals, {col: a1(r, cols[col]) for col in ("本季度新增", "累计值")})
        for code in IND_KIND:
            if code not in res:
                self.add("S03", name)
        return res

    def table(self, ws, canon, zone):
        g = grid_of(ws)
        name = ws.title
        h = self.header(g, canon)
        required = [c for c in canon if c not in ("序号", "产业领域", "标杆项目", "面积(平方米)", "累计投入(万元)")]
        if h is None:
            self.add("S02", name)
            return None
        hr, cols = h
        missing = [c for c in required if c not in cols]
        for _ in missing:
            self.add("S02", name)
        rows = []
        names_seen = set()
        for r in self.rows(g, hr, cols):
            rec = {"_row": r}
            for c, j in cols.items():
                v, dt = g.get((r, j), (None, None))
                cell = a1(r, j)
                rec[c + "@"] = cell
                if is_blank(v) and dt != "e":
                    if c in required:
                        self.add("V01", name, cell)
                    if c in ENUMS:
                        rec[c] = self.enum(name, cell, c, v)
                    continue
                if c in ("立项日期", "建成日期"):
                    d = self.date(name, cell, v, dt)
                    rec[c] = d
                    if d and d > date(2025, 9, 30):
                        self.add("T01", name, cell)
                    elif d and d < date(2025, 7, 1):
                        self.add("T02", name, cell)
                elif c in ("合同金额(万元)", "累计到位经费(万元)", "累计投入(万元)"):
                    x = self.number(name, cell, v, dt, amount=True)
                    rec[c] = x
                    if c == "合同金额(万元)" and x is not None and 100_000 < x < 1_000_000:
                        self.add("V08", name, cell)
                elif c == "面积(平方米)":
                    rec[c] = self.number(name, cell, v, dt)
                elif c in ENUMS:
                    rec[c] = self.enum(name, cell, c, v)
                elif c in ("合作高校", "共建高校"):
                    self.universities(name, cell, zone, v)
                    rec[c] = v
                else:
                    rec[c] = v
            nm = rec.get("项目名称", rec.get("平台名称"))
            if nm is not None:
                k = nt(nm)
                if k in names_seen:
                    self.add("D01" if "项目名称" in cols else "D02", name, rec.get("项目名称@", rec.get("平台名称@")))
                names_seen.add(k)
            if rec.get("合同金额(万元)") is not None and rec.get("累计到位经费(万元)") is not None:
                if rec["累计到位经费(万元)"] > rec["合同金额(万元)"] + 1e-9:
                    self.add("X04", name, rec["累计到位经费(万元)@"])
            rows.append(rec)
        return rows

    def cross(self, name, ind, proj, plat):
        def cum(code):
            return ind[code][0].get("累计值") if code in ind else None

        def cell(code, col="累计值"):
            return ind[code][1][col]
        if proj is not None and cum("SG01") is not None and cum("SG01") != len(proj):
            self.add("X01", name, cell("SG01"))
        if plat is not None and cum("SG02") is not None and cum("SG02") != len(plat):
            self.add("X02", name, cell("SG02"))
        if proj is not None and cum("SG05") is not None:
            s = sum(r.get("累计到位经费(万元)") or 0 for r in proj)
            if cum("SG05") + 1e-9 < s:
                self.add("X03", name, cell("SG05"))
        if cum("SG12") is not None and cum("SG13") is not None and cum("SG13") > cum("SG12") + 1e-9:
            self.add("X04", name, cell("SG13"))
        if plat is not None and cum("SG16") is not None:
            n = sum(1 for r in plat if r.get("平台类型") == "创新联合体")
            if cum("SG16") < n:
                self.add("X09", name, cell("SG16"))
        for code, kind in IND_KIND.items():
            if kind == "flow" and code in ind:
                new, c = ind[code][0].get("本季度新增"), ind[code][0].get("累计值")
                if new is not None and c is not None and abs(new - c) > 1e-9:
                    self.add("X05", name, cell(code, "本季度新增"))


def check_file(path, tmp):
    ch = Checker()
    wb, reason = sniff_and_open(path, tmp)
    if wb is None:
        ch.add("F01", None)
        return ch
    ch.run(wb)
    return ch


def verify(entries, tmp):
    """Re-read every file and compare with its expectations. Returns the problems."""
    load_config()
    problems = []
    for e in entries:
        path = FILES / e["path"]
        size = path.stat().st_size
        if size >= 60_000:
            problems.append(f"{e['path']}: {size} bytes (limit 60 KB)")
        ch = check_file(path, tmp)
        want = sorted((f["rule"], f.get("sheet"), f.get("cell")) for f in e["findings"])
        got = sorted(ch.errors, key=lambda t: (t[0], t[1] or "", t[2] or ""))
        want = sorted(want, key=lambda t: (t[0], t[1] or "", t[2] or ""))
        if want != got:
            problems.append(f"{e['path']}: findings expected {want}, reference reading gives {got}")
        for f in e["infos"]:
            t = (f["rule"], f.get("sheet"), f.get("cell"))
            if t not in ch.infos:
                problems.append(f"{e['path']}: expected info {t} not produced by the reference reading")
        e["_ref_infos"] = ch.infos
    return problems


# ---------------------------------------------------------------------------
# Output: expected.toml and README.md
# ---------------------------------------------------------------------------

def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def inline(f):
    parts = [f'rule = {q(f["rule"])}']
    if f.get("sheet") is not None:
        parts.append(f'sheet = {q(f["sheet"])}')
    if f.get("cell") is not None:
        parts.append(f'cell = {q(f["cell"])}')
    return "{ " + ", ".join(parts) + " }"


def write_expected(entries):
    out = ["# Expected findings of the test corpus (generated by make_corpus.py: do not edit by hand).",
           "#",
           "# Each file is checked ALONE as period 2025Q3 (first quarter: no previous returns).",
           "# findings: every error and warning, exactly (rule, sheet as written in the file, A1 cell;",
           "#           no sheet/cell key = null).",
           "# infos:    info findings that must be among the file's infos (a subset, not exhaustive).",
           "# zone:     canonical zone name; absent when the file cannot be tied to a zone.",
           ""]
    for e in entries:
        out.append("[[file]]")
        out.append(f'path = {q("files/" + e["path"])}')
        if e["zone"]:
            out.append(f'zone = {q(e["zone"])}')
        out.append(f'note = {q(e["note"])}')
        if e["findings"]:
            out.append("findings = [")
            out += [f"  {inline(f)}," for f in e["findings"]]
            out.append("]")
        else:
            out.append("findings = []")
        if e["infos"]:
            out.append("infos = [")
            out += [f"  {inline(f)}," for f in e["infos"]]
            out.append("]")
        else:
            out.append("infos = []")
        out.append("")
    EXPECTED.write_text("\n".join(out), encoding="utf-8")


README_HEAD = """# Test corpus: quarterly returns as zone clerks make them

Synthetic (示例数据) quarterly return workbooks for `shuanggao`, and the
findings each one must produce. The corpus is independent of the Rust code:
it was built from the data contract (`docs/return-form.md`), the
configuration in `inputs/config/` and the finding locations in `docs/return-form.md` §5.3.

- `files/` — the workbooks (committed; every file is below 60 KB).
- `expected.toml` — one `[[file]]` per workbook: `path`, `zone` (canonical name;
  absent when the file cannot be tied to a zone), `note`, `findings` (every error
  and warning, exactly: `rule`, `sheet` as written in the file, `cell` in A1 form;
  a missing key means null) and `infos` (info findings known to fire: a subset —
  a test should require them to be present, not that they are the only infos).
- `make_corpus.py` — the generator; it documents how each file was made.

## How to use

Check each file **alone** as period **2025Q3**, the first reporting quarter:
no previous return exists, so `本季度新增` equals `累计值` for every flow
indicator, and X06/X07/X08/D03/F02 cannot occur. Compare the errors and
warnings with `findings` exactly (as a multiset of rule/sheet/cell), and check
that every entry of `infos` is among the infos produced.

## How to regenerate

    pip install openpyxl msoffcrypto-tool     # and LibreOffice (soffice) on PATH
    python3 tests/corpus/make_corpus.py

The script rewrites `files/`, `expected.toml` and this README, then re-reads
every file with a small independent reference reading of the rules (at the
bottom of the script) and exits non-zero if it disagrees with the
expectations (the reference reading is a consistency check of this corpus,
not a second implementation to be trusted over docs/return-form.md). It needs about 15 s
and LibreOffice 7.x.

Reruns give byte-identical files (with the same LibreOffice version): zip
timestamps and document dates are fixed, LibreOffice's varying page-style
order in `.ods` is sorted, and the encrypted file uses a seeded salt and
cleared container timestamps.

## Files

"""

README_TAIL = """
## Conventions the expectations rely on

- Cells are the value cells as `docs/return-form.md` §5.3 describes: in 基本信息 the
  cell right of the label; X01/X02/X03/X09 the `累计值` cell of SG01/SG02/SG05/SG16;
  X05 the `本季度新增` cell; S01 names the missing sheet's canonical name with no cell;
  S02 and a missing-row S03 carry no cell; F01 carries neither sheet nor cell.
- Duplicated rows (D01/D02) still count as rows for X01/X02, so those files write
  SG01/SG02 equal to the number of rows including the duplicate.
- A university outside the registry draws I02 (warning) only, not I03.
- A value written in plain 元 draws V08 (warning); it is converted, so ties use 万元.
- The file with no 平台清单 sheet writes SG02 = 0, so X02 cannot fire whether the
  missing sheet counts as zero rows or the check is skipped.
- The defects that must not cascade sit in cells nothing else depends on: V02, V03
  and V06 are on SG03 `累计值` (a stock indicator, so no X05), a V08 amount in
  元 is small enough that the converted value keeps 合同金额 ≥ 累计到位经费.
- Files saved by LibreOffice keep the source cell positions; `v06_ref.xls` caches
  `#REF!` (LibreOffice shows `#N/A` if it recalculates on opening — still V06).
- Stock indicator SG03 leaves `本季度新增` blank (one clean file fills it with
  the level itself), so X05 is not exercised on stock indicators.
"""


def write_readme(entries):
    groups = [("Clean returns (no errors, no warnings)", lambda e: not e["findings"]),
              ("One defect per file (and one file with several)",
               lambda e: e["findings"] and e["findings"][0]["rule"] != "F01"),
              ("Files that cannot be read (exactly one F01)",
               lambda e: e["findings"] and e["findings"][0]["rule"] == "F01")]
    lines = [README_HEAD]
    for title, pred in groups:
        lines.append(f"### {title}\n")
        for e in entries:
            if pred(e):
                rules = ", ".join(f["rule"] for f in e["findings"]) or "none"
                lines.append(f"- `{e['path']}` — {rules}: {e['note']}")
        lines.append("")
    lines.append(README_TAIL)
    (HERE / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-verify", action="store_true", help="skip the reference re-reading")
    args = ap.parse_args()
    if FILES.exists():
        shutil.rmtree(FILES)
    FILES.mkdir(parents=True)
    tmp = Path(tempfile.mkdtemp(prefix="corpus-"))
    entries = []
    try:
        for fn in CASES:
            params = inspect.signature(fn).parameters
            res = fn(FILES, tmp) if len(params) == 2 else fn(FILES)
            entries += res
        write_expected(entries)
        write_readme(entries)
        print(f"wrote {len(entries)} files to {FILES}")
        if not args.no_verify:
            problems = verify(entries, tmp)
            for p in problems:
                print("PROBLEM:", p)
            if problems:
                sys.exit(1)
            print("reference reading agrees with expected.toml")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if _LO_PROFILE:
            shutil.rmtree(_LO_PROFILE, ignore_errors=True)


if __name__ == "__main__":
    main()
