"""The policy as data: the model loader (:mod:`.model`) and, beside it, the text parser.

Public surface: :func:`load_policy` and :class:`PolicyModel` from
:mod:`laser_policy.policy.model`.
"""
