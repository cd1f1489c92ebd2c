"""Who acts in the demo. The login users each hold one role; field staff of other
units appear in the history only (events record any actor's name)."""

from domain.actor import Actor
from domain.vocabulary import Role

LEADER = Actor("王主任", Role.LEADERSHIP)
INTAKE = Actor("李客服", Role.INTAKE)
LAB = Actor("赵检测", Role.RESPONDER)
LOGISTICS = Actor("陈后勤", Role.LOGISTICS)
SPOKESPERSON = Actor("孙发布", Role.SPOKESPERSON)
AUDITOR = Actor("钱审计", Role.AUDITOR)

LOGIN_USERS = (LEADER, INTAKE, LAB, LOGISTICS, SPOKESPERSON, AUDITOR)

# Field staff without a login of their own.
PLANT_ENGINEER = Actor("周工", Role.RESPONDER)
SIGNAL_CONTRACTOR = Actor("何经理", Role.RESPONDER)
MUNICIPAL_CREW = Actor("黄队长", Role.RESPONDER)
POLICE_LIAISON = Actor("马警官", Role.RESPONDER)
LINE_CREW = Actor("郑班长", Role.RESPONDER)
GRID_WORKER = Actor("林网格员", Role.RESPONDER)
PLATFORM_AGENT = Actor("孟专员", Role.RESPONDER)
