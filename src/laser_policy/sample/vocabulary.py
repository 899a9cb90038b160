"""Product families per chain segment, in the words buyers and sellers use.

A family is what makes a demand and an offer relevant to each other: same segment,
same kind of product. Each family has synonyms, specifications, uses and selling
points, so postings about the same thing are worded differently.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    key: str
    segment: str
    #: ways of naming the product (the first is the catalogue name)
    names: tuple[str, ...]
    specs: tuple[str, ...]
    uses: tuple[str, ...]

    @property
    def product_name(self) -> str:
        return self.names[0]


def _f(segment: str, key: str, names: str, specs: str, uses: str) -> Family:
    return Family(f"{segment}/{key}", segment, tuple(names.split("|")), tuple(specs.split("|")),
                  tuple(uses.split("|")))


_ALL: tuple[Family, ...] = (
    _f("MAT-CRYSTAL", "ndyag", "Nd:YAG激光晶体|掺钕钇铝石榴石晶体|YAG激光棒",
       "尺寸Φ6×100mm|掺杂浓度1.1at%|光学均匀性优于2×10⁻⁶|端面平行度小于10秒",
       "固体激光器增益介质|医疗激光器|打标机光源"),
    _f("MAT-CRYSTAL", "ybyag", "Yb:YAG薄片晶体|掺镱YAG晶体|碟片激光晶体",
       "厚度0.2mm|掺杂浓度10at%|直径10mm以上", "碟片激光器|高功率超快激光器"),
    _f("MAT-NLO", "lbo", "LBO倍频晶体|三硼酸锂晶体|非线性光学晶体LBO",
       "通光口径3×3mm以上|I类相位匹配|镀增透膜", "绿光激光器倍频|紫外激光器三倍频"),
    _f("MAT-NLO", "ktp", "KTP晶体|磷酸氧钛钾晶体|KTP倍频晶体",
       "尺寸2×2×5mm|抗灰迹处理|高损伤阈值", "532nm绿光输出|激光笔和医疗设备"),
    _f("MAT-SEMI", "gaas", "砷化镓衬底|GaAs晶圆|砷化镓外延片",
       "4英寸|6英寸|位错密度低于500/cm²|N型掺硅", "半导体激光芯片|VCSEL外延"),
    _f("MAT-SEMI", "inp", "磷化铟衬底|InP晶圆|磷化铟外延片",
       "3英寸|4英寸|掺硫N型", "光通信激光芯片|DFB激光器"),
    _f("MAT-FIBER", "yb", "掺镱双包层光纤|掺镱有源光纤|Yb增益光纤",
       "纤芯25/400μm|纤芯20/400μm|吸收系数1.2dB/m", "万瓦级光纤激光器|连续光纤激光器"),
    _f("MAT-FIBER", "delivery", "传能光纤|能量传输光缆|QBH传能光缆",
       "芯径100μm|长度20米|芯径50μm", "激光切割头传输|激光焊接系统"),
    _f("CMP-MIRROR", "hr", "激光高反镜|高反射镜片|全反射镜",
       "反射率99.9%以上|直径25.4mm|损伤阈值10J/cm²", "CO2激光切割光路|超快激光光路"),
    _f("CMP-SLM", "lcos", "空间光调制器|LCOS-SLM|液晶空间光调制器",
       "分辨率1920×1080|像素间距8μm|相位调制2π", "激光全息加工|光束整形"),
    _f("CMP-HEAD", "cut", "高功率激光切割头|激光切割头|自动调焦切割头",
       "承载功率20kW|承载功率12kW以上|带自动调焦", "厚板切割|管材切割"),
    _f("CMP-HEAD", "weld", "激光焊接头|摆动焊接头|激光焊枪",
       "承载功率6kW|摆动频率可调|带同轴视觉", "动力电池焊接|车身焊接"),
    _f("CMP-CHIP", "pump", "半导体激光芯片|泵浦源芯片|976nm激光芯片",
       "单管功率30W|电光转换效率65%以上|波长915nm/976nm", "光纤激光器泵浦|直接半导体激光器"),
    _f("CMP-CHIP", "vcsel", "VCSEL芯片|垂直腔面发射激光芯片|VCSEL阵列",
       "波长940nm|多结设计|峰值功率100W", "激光雷达|3D传感"),
    _f("LSR-FIBER", "cw", "高功率光纤激光器|大功率连续光纤激光器|万瓦级光纤激光器",
       "功率6kW以上|功率12kW|功率20kW及以上|功率3kW-6kW", "厚板切割|高速切割|激光熔覆"),
    _f("LSR-FIBER", "pulse", "脉冲光纤激光器|调Q光纤激光器|MOPA脉冲激光器",
       "平均功率50W|平均功率100W|脉宽2-500ns可调", "激光打标|激光清洗|精密加工"),
    _f("LSR-SEMI", "direct", "直接半导体激光器|光纤耦合半导体激光器|半导体激光器模块",
       "功率4kW|波长976nm|光纤芯径200μm", "激光熔覆|塑料焊接|泵浦源"),
    _f("LSR-VISIBLE", "blue", "蓝光半导体激光器|450nm蓝光激光器|可见光激光器",
       "功率1kW|功率500W|波长450nm", "铜材焊接|有色金属加工"),
    _f("LSR-GAS", "co2", "CO2激光器|二氧化碳激光器|射频CO2激光器",
       "功率100W|功率300W|波长10.6μm", "非金属切割|皮革雕刻|PCB钻孔"),
    _f("LSR-SPECIAL", "ultrafast", "超快激光器|飞秒激光器|皮秒激光器",
       "脉宽小于300fs|平均功率50W|重复频率1MHz", "玻璃切割|OLED屏加工|医疗美容"),
    _f("EQP-CUT", "sheet", "光纤激光切割机|激光切割设备|板材激光切割机",
       "幅面3000×1500mm|配12kW激光器|切割碳钢厚度30mm以上", "钣金加工|工程机械下料"),
    _f("EQP-CUT", "tube", "激光切管机|管材激光切割机|三维五轴激光切割机",
       "管径20-220mm|自动上下料|五轴联动", "汽车零部件|钢结构"),
    _f("EQP-WELD", "battery", "动力电池激光焊接系统|锂电激光焊接机|电池激光焊接设备",
       "焊接速度300mm/s|配6kW激光器|带在线检测", "动力电池模组|电芯顶盖焊接"),
    _f("EQP-WELD", "handheld", "手持激光焊机|手持式激光焊接机|便携激光焊接设备",
       "功率1.5kW|功率2kW|风冷", "不锈钢焊接|门窗护栏"),
    _f("EQP-MARK", "mark", "激光打标机|光纤打标机|紫外激光打标机",
       "功率20W|功率30W|打标幅面110×110mm", "产品追溯码|金属铭牌|塑料件标识"),
    _f("EQP-MICRO", "wafer", "晶圆激光切割设备|激光隐形切割设备|晶圆激光开槽设备",
       "适配12英寸晶圆|定位精度±1μm|切割道宽度小于20μm", "半导体封装|MEMS器件"),
    _f("EQP-MICRO", "pv", "光伏激光设备|TOPCon激光掺杂设备|电池片激光消融设备",
       "产能8000片/小时|适配210尺寸硅片|碎片率低于0.05%", "光伏电池片|BC电池"),
    _f("EQP-CLEAN", "clean", "激光清洗机|脉冲激光除锈设备|激光除漆设备",
       "功率200W|功率1000W|清洗效率10㎡/小时", "模具清洗|船舶除锈|飞机除漆"),
    _f("EQP-AM", "slm", "金属3D打印机|激光选区熔化设备|SLM金属增材制造设备",
       "成形尺寸400×400×500mm|四激光器|层厚20-100μm", "航空航天零件|模具随形水路"),
    _f("APP-MED", "med", "激光治疗仪|眼科激光设备|激光诊疗设备",
       "波长532nm|具备医疗器械注册证|输出功率可调", "眼科手术|皮肤科治疗|牙科"),
    _f("APP-LIDAR", "lidar", "车载激光雷达|激光雷达|LiDAR传感器",
       "探测距离200米|线数128线|905nm/1550nm", "自动驾驶|智慧交通|机器人导航"),
)

#: families by segment code
FAMILIES: dict[str, tuple[Family, ...]] = {}
for _fam in _ALL:
    FAMILIES[_fam.segment] = (*FAMILIES.get(_fam.segment, ()), _fam)

BUY = ("采购", "求购", "拟采购", "计划采购", "需采购", "寻购")
NEED = ("需要", "急需", "计划引进", "拟购置", "寻求")
REASONS = ("产线扩能", "新建产线", "国产化替代", "设备更新", "技术改造", "新项目投产")
EXTRAS = ("年需求约{q}台（套）。", "同等条件下优先考虑省内供应商。", "要求交期{w}周以内。",
          "希望建立长期合作。", "需提供安装调试和售后服务。", "请附报价和案例。", "")
FEATURES = ("光束质量好", "稳定性高", "性价比高", "交付周期短", "通过ISO9001认证",
            "提供本地化售后服务", "已批量应用于行业头部企业", "核心部件自主可控")
