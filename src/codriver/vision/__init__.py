"""The cabin camera: what it sees (faces, eyes, head, hands) becomes driver state, occupancy,
gestures and deixis, which reach the same agents and the same safety gate as what is said.

``observation`` is the seam: perception (MediaPipe, extra ``[vision]``) turns a frame into a
:class:`~codriver.vision.observation.FrameObservation`; everything after it works on those plain
values and needs no camera, no numpy and no model.
"""
